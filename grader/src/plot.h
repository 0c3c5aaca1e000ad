// Drawing a lab's [[plots]] with gnuplot (SVG, PNG and a small plot in the terminal)
// and measuring how far the student's series are from the reference's.
#pragma once

#include "experiment.h"
#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace gradlab::grader {

/// \brief How far one series of the student's is from the reference's.
struct SeriesDeviation {
  std::string series;
  /// The largest relative deviation |s − r| / max(|r|, 1e-8) over the reference's x
  /// values; a point the student's series lacks, or a NaN on one side only, counts
  /// as infinite. Nullopt when the series is missing from either run (see note).
  std::optional<double> deviation;
  std::string note;  ///< why there is no deviation
};

/// \brief The deviation of each of \p plot's series, in the plot's order.
std::vector<SeriesDeviation> series_deviations(const Plot& plot, const ExperimentRun& student,
                                               const ExperimentRun& reference);

/// \brief Writes \p plot's data (<name>.dat) and gnuplot script (<name>.gp) into
/// \p dir and renders <name>.svg and <name>.png when gnuplot is installed.
///
/// \p student may be nullptr (plot the reference alone); either run may have failed,
/// its series are then left out. \p terminal receives gnuplot's 80-column text
/// rendering (empty without gnuplot). The deviation and match points are not computed here.
PlotResult draw_plot(const Manifest& m, const Plot& plot, const ExperimentRun* student,
                     const ExperimentRun& reference, const std::filesystem::path& dir, std::string& terminal);

/// \brief True when a gnuplot program is on the PATH.
bool gnuplot_available();

}  // namespace gradlab::grader
