// Colour on the terminal, and none in pipes, logs or when NO_COLOR is set.
#pragma once

#include <fmt/color.h>
#include <fmt/core.h>

#include <cstdlib>
#include <string>

#include <unistd.h>

namespace gradlab::grader {

/// \brief What a piece of text means, which decides its colour.
enum class Tone { Good, Bad, Warn, Dim, Bold };

/// \brief True when stdout is a terminal and NO_COLOR is not set.
inline bool colour_enabled() {
  static const bool enabled = ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  return enabled;
}

/// \brief \p text in the colour of \p tone (plain when colour is off).
inline std::string paint(const std::string& text, Tone tone) {
  if (!colour_enabled()) return text;
  switch (tone) {
    case Tone::Good: return fmt::format(fmt::fg(fmt::terminal_color::green), "{}", text);
    case Tone::Bad: return fmt::format(fmt::fg(fmt::terminal_color::red) | fmt::emphasis::bold, "{}", text);
    case Tone::Warn: return fmt::format(fmt::fg(fmt::terminal_color::yellow), "{}", text);
    case Tone::Dim: return fmt::format(fmt::emphasis::faint, "{}", text);
    case Tone::Bold: return fmt::format(fmt::emphasis::bold, "{}", text);
  }
  return text;
}

/// \brief A score as "35" or "37.5", never "37.500000".
inline std::string points(double value) {
  const double rounded = static_cast<double>(static_cast<long long>(value * 10 + (value >= 0 ? 0.5 : -0.5))) / 10;
  return fmt::format("{:g}", rounded);
}

}  // namespace gradlab::grader
