/**
 * The ablation as a library (module ibreid-ablation, an application over the facade {@code io.ibreid} and the
 * analyses of ibreid-analysis): {@link io.ibreid.ablation.Ablation} plans ({@code plan.json}), runs (trains what is
 * missing, resumes, probes, rewrites the report after every run) and reports an {@link
 * io.ibreid.ablation.AblationDesign} in a folder, telling an {@link io.ibreid.ablation.AblationListener} what it
 * does; {@link io.ibreid.ablation.AblationDefaults} is the committed design. {@code ibreid ablation} is a thin client
 * of this package.
 */
package io.ibreid.ablation;
