// Similarity between submissions: which pairs of students handed in code that is
// suspiciously alike, however they renamed, re-commented or re-formatted it.
//
// Each file becomes a stream of normalized tokens: comments, preprocessor lines and
// layout are dropped, every literal becomes one token per kind, and every name the
// student chose (a local variable, a helper function) becomes the same token "I".
// Names the student did not choose stay as they are: those of the given code (the
// stub's function and parameter names, its types) and those reached through `::`, `.`
// or `->` (std::exp, x.rows(), .array()), since they tell one way of writing a kernel
// from another.
//
// A file's fingerprint is the set of its k-grams (k consecutive tokens, hashed), minus
// every k-gram of the given code, so that the stub's text never counts as shared.
// Two files are compared by containment, the share of the smaller file's fingerprint
// found in the other:
//
//     similarity(A, B) = |A ∩ B| / min(|A|, |B|)
//
// which stays high when one student copied part of another's file and added their own.
// A pair is reported when it reaches the threshold and both files have enough code of
// their own (a nearly untouched stub is never reported). This flags pairs for a person
// to look at, side by side; it proves nothing by itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief One token after normalization, with the line (1-based) it starts on.
struct Token {
  std::string text;  ///< "I" for a chosen name, "N" for a number, "S" for a string or character literal, else itself
  int line = 0;
};

/// \brief The normalized tokens of C++ \p source (see the file comment); \p given_names
/// are the names kept as they are (sorted).
std::vector<Token> normalized_tokens(const std::string& source, const std::vector<std::string>& given_names);

/// \brief The identifiers of \p source, sorted and unique: the names the given code uses.
std::vector<std::string> identifiers_of(const std::string& source);

/// \brief How pairs are found.
struct SimilarityOptions {
  std::size_t k = 10;                ///< tokens per k-gram
  double threshold = 0.7;            ///< report a pair at this similarity or above
  std::size_t min_fingerprints = 20; ///< a file with fewer k-grams of its own is not compared
};

/// \brief One submitted file.
struct SubmittedFile {
  std::string student;
  std::string text;
};

/// \brief A reported pair: \p a < \p b by student id.
struct SimilarPair {
  std::string a, b;
  double similarity = 0;     ///< |A ∩ B| / min(|A|, |B|), in [0, 1]
  std::size_t shared = 0;    ///< |A ∩ B|
  bool identical = false;    ///< the same token stream: the same code up to names, comments and layout
  std::vector<int> lines_a;  ///< lines of a's file inside a shared k-gram, sorted
  std::vector<int> lines_b;
};

/// \brief The pairs of \p files at or above the threshold, most similar first; the
/// k-grams of \p given (the stub of the same file) never count.
std::vector<SimilarPair> similar_pairs(const std::vector<SubmittedFile>& files, const std::string& given,
                                       const SimilarityOptions& options = {});

}  // namespace gradlab::grader
