// Standardizer and Whitener: keep the fitted statistics and call the lab 04 kernels.
#include "gradlab/preprocessing.h"

#include <cmath>
#include <string>

namespace gradlab {

namespace {
void check_fitted(bool fitted, Index fitted_d, ConstMatrixRef x, const char* who) {
  GRADLAB_CHECK(fitted, std::string(who) + "::transform called before fit()");
  GRADLAB_CHECK(x.cols() == fitted_d, std::string(who) + "::transform: input " +
                                          shape_string(x.rows(), x.cols()) + " has " +
                                          std::to_string(x.cols()) + " features, it was fitted on " +
                                          std::to_string(fitted_d));
}
}  // namespace

// ---------------------------------------------------------------- Standardizer

Standardizer::Standardizer(StandardizerOptions options) : options_(options) {
  GRADLAB_CHECK(options_.eps >= 0.0 && std::isfinite(options_.eps),
                "Standardizer: eps must be finite and >= 0, got " + std::to_string(options_.eps));
}

Standardizer& Standardizer::fit(ConstMatrixRef train) {
  GRADLAB_CHECK(train.rows() >= 1 && train.cols() >= 1,
                "Standardizer::fit: needs a non-empty training set, got " +
                    shape_string(train.rows(), train.cols()));
  Matrix mean(1, train.cols());
  Matrix stddev(1, train.cols());
  kernels::standardize_fit(train, mean, stddev);
  mean_ = std::move(mean);
  stddev_ = std::move(stddev);
  return *this;
}

Matrix Standardizer::transform(ConstMatrixRef x) const {
  check_fitted(fitted(), mean_.cols(), x, "Standardizer");
  Matrix out(x.rows(), x.cols());
  kernels::standardize_apply(x, mean_, stddev_, options_.eps, out);
  return out;
}

Matrix Standardizer::fit_transform(ConstMatrixRef train) { return fit(train).transform(train); }

// ---------------------------------------------------------------- Whitener

Whitener::Whitener(WhitenerOptions options) : options_(options) {
  GRADLAB_CHECK(options_.eps > 0.0 && std::isfinite(options_.eps),
                "Whitener: eps must be finite and > 0, got " + std::to_string(options_.eps));
}

Whitener& Whitener::fit(ConstMatrixRef train) {
  GRADLAB_CHECK(train.rows() >= 1 && train.cols() >= 1,
                "Whitener::fit: needs a non-empty training set, got " + shape_string(train.rows(), train.cols()));
  Matrix mean(1, train.cols());
  Matrix w(train.cols(), train.cols());
  kernels::whitening_fit(train, options_.kind, options_.eps, mean, w);
  mean_ = std::move(mean);
  w_ = std::move(w);
  return *this;
}

Matrix Whitener::transform(ConstMatrixRef x) const {
  check_fitted(fitted(), mean_.cols(), x, "Whitener");
  Matrix out(x.rows(), x.cols());
  kernels::whitening_apply(x, mean_, w_, out);
  return out;
}

Matrix Whitener::fit_transform(ConstMatrixRef train) { return fit(train).transform(train); }

}  // namespace gradlab
