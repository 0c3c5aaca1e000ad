// Drawing a lab's [[plots]] with gnuplot (SVG, PNG and a small plot in the terminal)
// and measuring how far the student's series are from the reference's.
#pragma once

#include "experiment.h"
#include "manifest.h"
#include "result.h"

#include <filesystem>
#include <optional>
#include <string>

namespace gradlab::grader {

/// \brief The largest relative deviation |s − r| / max(|r|, 1e-8) between the
/// student's and the reference's values of \p plot's series at the same x.
///
/// A point of the reference that the student's series lacks, or a NaN on one side
/// only, counts as an infinite deviation. Nullopt (with \p note set) when a series
/// is missing from either run.
std::optional<double> max_relative_deviation(const Plot& plot, const ExperimentRun& student,
                                             const ExperimentRun& reference, std::string& note);

/// \brief Writes \p plot's data (<name>.dat) and gnuplot script (<name>.gp) into
/// \p dir and renders <name>.svg and <name>.png when gnuplot is installed.
///
/// \p student may be nullptr (plot the reference alone); either run may have failed,
/// its series are then left out. \p terminal receives gnuplot's 79×24 text rendering
/// (empty without gnuplot). The deviation and match points are not computed here.
PlotResult draw_plot(const Manifest& m, const Plot& plot, const ExperimentRun* student,
                     const ExperimentRun& reference, const std::filesystem::path& dir, std::string& terminal);

/// \brief True when a gnuplot program is on the PATH.
bool gnuplot_available();

}  // namespace gradlab::grader
