// Colour on the terminal, and none in pipes, logs or when NO_COLOR is set; the name
// the user typed to run us.
#pragma once

#include <fmt/color.h>
#include <fmt/core.h>

#include <cstdlib>
#include <string>

#include <unistd.h>

namespace gradlab::grader {

/// \brief What a piece of text means, which decides its colour.
enum class Tone { Good, Bad, Warn, Dim, Bold };

/// \brief --color: "auto" (the default: colour on a terminal, unless NO_COLOR is set to
/// anything non-empty, see no-color.org), "always" or "never".
enum class ColourMode { Auto, Always, Never };

/// \brief The mode chosen on the command line (the last call wins; Auto until then).
inline ColourMode& colour_mode() {
  static ColourMode mode = ColourMode::Auto;
  return mode;
}

/// \brief True when the output should be coloured.
inline bool colour_enabled() {
  switch (colour_mode()) {
    case ColourMode::Always: return true;
    case ColourMode::Never: return false;
    case ColourMode::Auto: break;
  }
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) && (no_color == nullptr || no_color[0] == '\0');
}

/// \brief How the user invoked us, for messages such as "see ./grade --help": the
/// ./grade script sets GRADLAB_PROGRAM; run directly, the grader is "grader".
inline std::string program_name() {
  const char* name = std::getenv("GRADLAB_PROGRAM");
  return name != nullptr && name[0] != '\0' ? name : "grader";
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
