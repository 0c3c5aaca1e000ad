/// \file
/// \brief Reading and writing whole files safely: the one place that does it for the
/// experiments, the bench and the grader.
#pragma once

#include <filesystem>
#include <string>

namespace gradlab {

/// \brief Writes \p text to \p file through a temporary file beside it and a rename,
/// creating the folder if needed.
///
/// A reader sees either the old file or the complete new one, never half of it, and
/// what was there before survives any failure. The temporary file's name holds the
/// process id, so that two processes writing the same file do not collide.
/// Throws std::runtime_error naming the file when it cannot be written.
void write_file_atomically(const std::filesystem::path& file, const std::string& text);

/// \brief The whole content of \p file; an empty string when it cannot be read.
std::string read_text(const std::filesystem::path& file);

}  // namespace gradlab
