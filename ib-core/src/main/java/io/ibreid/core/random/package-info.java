/**
 * Repeatable randomness: {@link io.ibreid.core.random.Seeds} derives a seed from the run seed and a position
 * (iteration, batch, purpose), so nothing random depends on how many draws came before and a resumed run draws what an
 * uninterrupted one drew. Imports nothing of the engine; data readers and the training loop both use it.
 */
package io.ibreid.core.random;
