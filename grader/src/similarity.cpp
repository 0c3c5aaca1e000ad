#include "similarity.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <iterator>
#include <set>
#include <tuple>
#include <string_view>

namespace gradlab::grader {

namespace {

// The keywords of C++ (and the alternative tokens): kept as they are.
constexpr std::string_view kKeywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch",
    "char", "char16_t", "char32_t", "char8_t", "class", "co_await", "co_return", "co_yield", "compl", "concept",
    "const", "const_cast", "consteval", "constexpr", "constinit", "continue", "decltype", "default", "delete",
    "do", "double", "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for",
    "friend", "goto", "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register", "reinterpret_cast",
    "requires", "return", "short", "signed", "sizeof", "static", "static_assert", "static_cast", "struct",
    "switch", "template", "this", "thread_local", "throw", "true", "try", "typedef", "typeid", "typename",
    "union", "unsigned", "using", "virtual", "void", "volatile", "wchar_t", "while"};

bool is_keyword(std::string_view word) {
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

// Punctuators of more than one character, longest first so that the longest matches.
constexpr std::string_view kPunctuators[] = {
    "<<=", ">>=", "...", "->*", "<=>", "::", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
    "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="};

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// A scanner over C++ text that hands out raw tokens (identifiers, numbers, literals,
// punctuators) with their line, skipping layout, comments and preprocessor lines.
class Scanner {
 public:
  explicit Scanner(const std::string& text) : s_(text) {}

  // The next raw token; false at the end. \p kind: 'i' identifier, 'n' number,
  // 's' string or character literal, 'p' punctuator.
  bool next(std::string& token, char& kind, int& line) {
    skip_layout();
    if (i_ >= s_.size()) return false;
    line = line_;
    const std::size_t start = i_;
    const char c = s_[i_];
    if (ident_start(c)) {
      while (i_ < s_.size() && ident_char(s_[i_])) ++i_;
      // A raw string literal R"delim( … )delim" (or u8R, LR, …).
      if (i_ < s_.size() && s_[i_] == '"' && s_[i_ - 1] == 'R') return raw_string(token, kind);
      if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) return quoted(token, kind);  // u8"…", L'x'
      kind = 'i';
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
      // pp-number: digits, letters, '.', digit separators, and a sign after an exponent.
      ++i_;
      while (i_ < s_.size()) {
        const char d = s_[i_];
        if ((d == '+' || d == '-') && std::string_view("eEpP").find(s_[i_ - 1]) != std::string_view::npos) ++i_;
        else if (ident_char(d) || d == '.' || d == '\'') ++i_;
        else break;
      }
      kind = 'n';
    } else if (c == '"' || c == '\'') {
      return quoted(token, kind);
    } else {
      kind = 'p';
      ++i_;
      for (std::string_view p : kPunctuators)
        if (s_.compare(start, p.size(), p) == 0) {
          i_ = start + p.size();
          break;
        }
    }
    token.assign(s_, start, i_ - start);
    return true;
  }

 private:
  void advance() {
    if (s_[i_] == '\n') ++line_;
    ++i_;
  }

  // Spaces, comments and whole preprocessor lines (with their continuations).
  void skip_layout() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (std::isspace(static_cast<unsigned char>(c))) {
        if (c == '\n') at_line_start_ = true;
        advance();
      } else if (s_.compare(i_, 2, "//") == 0) {
        while (i_ < s_.size() && s_[i_] != '\n') advance();
      } else if (s_.compare(i_, 2, "/*") == 0) {
        i_ += 2;
        while (i_ < s_.size() && s_.compare(i_, 2, "*/") != 0) advance();
        i_ = std::min(s_.size(), i_ + 2);
      } else if (c == '#' && at_line_start_) {
        while (i_ < s_.size() && s_[i_] != '\n') {
          if (s_[i_] == '\\' && i_ + 1 < s_.size() && s_[i_ + 1] == '\n') advance();
          advance();
        }
      } else {
        at_line_start_ = false;
        return;
      }
    }
  }

  bool quoted(std::string& token, char& kind) {
    const char quote = s_[i_];
    advance();
    while (i_ < s_.size() && s_[i_] != quote && s_[i_] != '\n') {
      if (s_[i_] == '\\' && i_ + 1 < s_.size()) advance();
      advance();
    }
    if (i_ < s_.size() && s_[i_] == quote) ++i_;
    token = quote == '"' ? "\"\"" : "''";
    kind = 's';
    return true;
  }

  bool raw_string(std::string& token, char& kind) {
    const std::size_t open = s_.find('(', i_);
    const std::string delimiter = open == std::string::npos ? "" : ")" + s_.substr(i_ + 1, open - i_ - 1) + "\"";
    const std::size_t close = open == std::string::npos ? std::string::npos : s_.find(delimiter, open);
    const std::size_t end = close == std::string::npos ? s_.size() : close + delimiter.size();
    while (i_ < end) advance();
    token = "\"\"";
    kind = 's';
    return true;
  }

  const std::string& s_;
  std::size_t i_ = 0;
  int line_ = 1;
  bool at_line_start_ = true;
};

// The k-gram hashes of \p tokens, one per starting position.
std::vector<std::uint64_t> kgram_hashes(const std::vector<Token>& tokens, std::size_t k) {
  std::vector<std::uint64_t> hashes;
  if (tokens.size() < k) return hashes;
  std::vector<std::uint64_t> single(tokens.size());
  for (std::size_t i = 0; i < tokens.size(); ++i) single[i] = std::hash<std::string>{}(tokens[i].text);
  for (std::size_t i = 0; i + k <= tokens.size(); ++i) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the tokens' own hashes
    for (std::size_t j = i; j < i + k; ++j) h = (h ^ single[j]) * 1099511628211ull;
    hashes.push_back(h);
  }
  return hashes;
}

std::vector<std::uint64_t> sorted_unique(std::vector<std::uint64_t> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// One file ready for comparison.
struct Fingerprinted {
  std::vector<Token> tokens;
  std::vector<std::uint64_t> positions;  // the k-gram starting at each token
  std::vector<std::uint64_t> own;        // sorted set of its k-grams that are not the given code's
};

// The lines of \p f covered by a k-gram in \p shared (sorted).
std::vector<int> covered_lines(const Fingerprinted& f, const std::vector<std::uint64_t>& shared, std::size_t k) {
  std::set<int> lines;
  for (std::size_t i = 0; i < f.positions.size(); ++i)
    if (std::binary_search(shared.begin(), shared.end(), f.positions[i]))
      for (std::size_t j = i; j < i + k; ++j) lines.insert(f.tokens[j].line);
  return {lines.begin(), lines.end()};
}

}  // namespace

std::vector<std::string> identifiers_of(const std::string& source) {
  std::vector<std::string> names;
  Scanner scanner(source);
  std::string token;
  char kind = 0;
  int line = 0;
  while (scanner.next(token, kind, line))
    if (kind == 'i' && !is_keyword(token)) names.push_back(token);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<Token> normalized_tokens(const std::string& source, const std::vector<std::string>& given_names) {
  std::vector<Token> tokens;
  Scanner scanner(source);
  std::string token;
  char kind = 0;
  int line = 0;
  while (scanner.next(token, kind, line)) {
    std::string text = token;
    if (kind == 'n') {
      text = "N";
    } else if (kind == 's') {
      text = "S";
    } else if (kind == 'i' && !is_keyword(token)) {
      // A member or qualified name (std::exp, x.rows()) is the library's, not a choice.
      const bool reached = !tokens.empty() && (tokens.back().text == "::" || tokens.back().text == "." ||
                                               tokens.back().text == "->");
      if (!reached && !std::binary_search(given_names.begin(), given_names.end(), token)) text = "I";
    }
    tokens.push_back({std::move(text), line});
  }
  return tokens;
}

std::vector<SimilarPair> similar_pairs(const std::vector<SubmittedFile>& files, const std::string& given,
                                       const SimilarityOptions& o) {
  const std::vector<std::string> names = identifiers_of(given);
  const std::vector<std::uint64_t> given_grams = sorted_unique(kgram_hashes(normalized_tokens(given, names), o.k));
  std::vector<Fingerprinted> prints;
  for (const SubmittedFile& f : files) {
    Fingerprinted p;
    p.tokens = normalized_tokens(f.text, names);
    p.positions = kgram_hashes(p.tokens, o.k);
    const std::vector<std::uint64_t> all = sorted_unique(p.positions);
    std::set_difference(all.begin(), all.end(), given_grams.begin(), given_grams.end(), std::back_inserter(p.own));
    prints.push_back(std::move(p));
  }
  std::vector<SimilarPair> pairs;
  for (std::size_t i = 0; i < files.size(); ++i)
    for (std::size_t j = i + 1; j < files.size(); ++j) {
      const Fingerprinted& a = prints[i];
      const Fingerprinted& b = prints[j];
      const std::size_t smaller = std::min(a.own.size(), b.own.size());
      if (smaller < o.min_fingerprints) continue;
      std::vector<std::uint64_t> shared;
      std::set_intersection(a.own.begin(), a.own.end(), b.own.begin(), b.own.end(), std::back_inserter(shared));
      const double similarity = static_cast<double>(shared.size()) / static_cast<double>(smaller);
      if (similarity < o.threshold) continue;
      const bool same_tokens = std::equal(a.tokens.begin(), a.tokens.end(), b.tokens.begin(), b.tokens.end(),
                                          [](const Token& x, const Token& y) { return x.text == y.text; });
      SimilarPair pair{files[i].student, files[j].student, similarity, shared.size(), same_tokens,
                       covered_lines(a, shared, o.k), covered_lines(b, shared, o.k)};
      if (pair.b < pair.a) {
        std::swap(pair.a, pair.b);
        std::swap(pair.lines_a, pair.lines_b);
      }
      pairs.push_back(std::move(pair));
    }
  std::stable_sort(pairs.begin(), pairs.end(), [](const SimilarPair& x, const SimilarPair& y) {
    return x.similarity != y.similarity ? x.similarity > y.similarity : std::tie(x.a, x.b) < std::tie(y.a, y.b);
  });
  return pairs;
}

}  // namespace gradlab::grader
