/**
 * PyTorch weights read in plain Java, never executing anything from the file.
 *
 * <ul>
 *   <li>{@link io.ibreid.weights.StateDict#read} reads a {@code .pth} file of either of PyTorch's formats (the zip
 *       archive since 1.6 and the legacy pickle stream, down to the PyTorch 0.1 files torchvision published in
 *       2017) or a {@code .safetensors} file into ordered {@link io.ibreid.weights.Tensor}s (plain float, double or
 *       long arrays with a shape). A pickle may name only the globals a state dict needs; anything else is
 *       refused in one line naming the file and the global.
 *   <li>{@link io.ibreid.weights.KeyMapping} matches those tensors to the keys and shapes a model expects, under a
 *       {@link io.ibreid.weights.Prefix} ({@code auto}, {@code none} or e.g. {@code module.base.}), and reports
 *       like PyTorch's {@code load_state_dict}: loaded, unused, missing, shape mismatches.
 *   <li>{@link io.ibreid.weights.StateDictSummary} lists what a file holds and how it maps, for a command to print.
 *   <li>{@link io.ibreid.weights.pretrained.TorchvisionResNet} holds torchvision's ResNet layouts and ImageNet file
 *       names; {@link io.ibreid.weights.pretrained.WeightsCache} finds or downloads such a file, hash-checked.
 *   <li>{@link io.ibreid.weights.Npy} reads numpy arrays (the test fixtures' inputs and PyTorch's outputs).
 * </ul>
 *
 * <p>Every error a user can act on is an {@link io.ibreid.core.IbreidException} whose message is one line naming
 * the file. Sizes, offsets and strides are checked, without overflow, against the file before anything is
 * allocated.
 */
package io.ibreid.weights;
