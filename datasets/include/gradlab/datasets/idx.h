/// \file
/// \brief Loading the IDX files of MNIST (and Fashion-MNIST): images and labels.
///
/// An IDX file is a big-endian header — two zero bytes, a type byte (0x08 = unsigned
/// byte, the only type read here), the number of dimensions d — then d 32-bit sizes,
/// then the data, row-major. MNIST's images are `[N, 28, 28]` (magic 0x00000803), its
/// labels `[N]` (magic 0x00000801). Nothing is downloaded: point these functions at
/// files you already have (uncompressed: gunzip the `.gz` files first).
#pragma once

#include "gradlab/core.h"
#include "gradlab/datasets/dataset.h"

#include <string>
#include <vector>

namespace gradlab::datasets {

/// \brief Reads an IDX image file `[N, rows, cols]` of unsigned bytes as `[N, rows·cols]`.
///
/// Each image is one row, pixels in row-major order, divided by 255 (values in [0, 1]).
/// Errors (gradlab::Error naming the file and the problem): cannot open; shorter than
/// its header; bad magic (not 0x00 0x00 0x08 0x03); fewer data bytes than the header
/// announces (truncated, with both counts) or more (trailing bytes).
Matrix read_idx_images(const std::string& path);

/// \brief Reads an IDX label file `[N]` of unsigned bytes (magic 0x00000801).
///
/// Same errors as read_idx_images().
std::vector<Index> read_idx_labels(const std::string& path);

/// \brief MNIST as a classification set: images from \p images_path, labels from
/// \p labels_path, 10 classes.
///
/// Throws gradlab::Error when the two files hold different numbers of examples or a
/// label is above 9.
Classification load_mnist(const std::string& images_path, const std::string& labels_path);

}  // namespace gradlab::datasets
