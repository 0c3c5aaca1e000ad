#include "gradlab/datasets/idx.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>

namespace gradlab::datasets {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw Error(path + ": " + problem);
}

std::vector<unsigned char> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, "cannot open the file");
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint32_t big_endian_u32(const std::vector<unsigned char>& bytes, std::size_t at) {
  return (std::uint32_t{bytes[at]} << 24) | (std::uint32_t{bytes[at + 1]} << 16) |
         (std::uint32_t{bytes[at + 2]} << 8) | std::uint32_t{bytes[at + 3]};
}

// Checks the header of an unsigned-byte IDX file with `dims` dimensions; returns the sizes.
std::vector<std::size_t> parse_header(const std::string& path, const std::vector<unsigned char>& bytes,
                                      unsigned char dims, const char* what) {
  if (bytes.size() < 4) {
    fail(path, "truncated: " + std::to_string(bytes.size()) + " bytes, shorter than the 4-byte IDX magic number");
  }
  if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] != dims) {
    char magic[16];
    std::snprintf(magic, sizeof magic, "0x%02x%02x%02x%02x", bytes[0], bytes[1], bytes[2], bytes[3]);
    fail(path, std::string("bad magic number ") + magic + ": expected 0x000008" + (dims == 3 ? "03" : "01") +
                   " (unsigned bytes, " + std::to_string(dims) + " dimension(s): an IDX " + what + " file)");
  }
  const std::size_t header = 4 + 4 * std::size_t{dims};
  if (bytes.size() < header) {
    fail(path, "truncated: " + std::to_string(bytes.size()) + " bytes, but an IDX " + what + " header needs " +
                   std::to_string(header));
  }
  std::vector<std::size_t> sizes;
  std::size_t count = 1;
  for (unsigned char d = 0; d < dims; ++d) {
    sizes.push_back(big_endian_u32(bytes, 4 + 4 * std::size_t{d}));
    if (sizes.back() != 0 && count > std::numeric_limits<std::size_t>::max() / sizes.back()) {
      fail(path, "malformed: the header's sizes multiply to more bytes than can exist");
    }
    count *= sizes.back();
  }
  const std::size_t data = bytes.size() - header;
  if (data < count) {
    fail(path, "truncated: the header announces " + std::to_string(count) + " data bytes, the file has " +
                   std::to_string(data));
  }
  if (data > count) {
    fail(path, "malformed: " + std::to_string(data - count) + " trailing bytes after the " +
                   std::to_string(count) + " data bytes the header announces");
  }
  return sizes;
}

}  // namespace

Matrix read_idx_images(const std::string& path) {
  const std::vector<unsigned char> bytes = read_bytes(path);
  const std::vector<std::size_t> sizes = parse_header(path, bytes, 3, "image");
  const auto n = static_cast<Index>(sizes[0]);
  const auto pixels = static_cast<Index>(sizes[1] * sizes[2]);
  Matrix images(n, pixels);
  const unsigned char* data = bytes.data() + 16;
  for (Index i = 0; i < images.size(); ++i) images.data()[i] = static_cast<Scalar>(data[i]) / 255.0;
  return images;
}

std::vector<Index> read_idx_labels(const std::string& path) {
  const std::vector<unsigned char> bytes = read_bytes(path);
  const std::vector<std::size_t> sizes = parse_header(path, bytes, 1, "label");
  return {bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(sizes[0])};
}

Classification load_mnist(const std::string& images_path, const std::string& labels_path) {
  Classification d;
  d.x = read_idx_images(images_path);
  d.labels = read_idx_labels(labels_path);
  d.classes = 10;
  GRADLAB_CHECK(static_cast<Index>(d.labels.size()) == d.x.rows(),
                "load_mnist: " + images_path + " holds " + std::to_string(d.x.rows()) + " images but " +
                    labels_path + " holds " + std::to_string(d.labels.size()) + " labels");
  for (std::size_t i = 0; i < d.labels.size(); ++i) {
    GRADLAB_CHECK(d.labels[i] <= 9, labels_path + ": label " + std::to_string(d.labels[i]) + " of example " +
                                        std::to_string(i) + " is not a digit 0-9");
  }
  return d;
}

}  // namespace gradlab::datasets
