/**
 * Evaluation of person re-identification features: distances ({@code distance}), ranking metrics CMC / mAP / mINP
 * ({@code ranking}), the published SYSU-MM01 and RegDB protocols ({@code protocol}), k-reciprocal re-ranking
 * ({@code rerank}), feature files ({@code features}) and feature extraction ({@code extract}). Charts and rank-list
 * pictures are in ibreid-analysis ({@code io.ibreid.eval.report}). Protocol classes take feature matrices and
 * metadata, never files or images, so a trained model plugs in through a thin adapter.
 */
package io.ibreid.eval;
