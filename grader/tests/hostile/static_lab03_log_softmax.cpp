// Hostile addition to lab 03's reference: the log-sum-exp core taken from lab 02's
// kernel (forbidden_symbols of labs/03_losses/lab.toml). Expected: ForbiddenCall
// naming log_softmax_forward.
#include "gradlab/kernels/activations.h"
namespace gradlab::kernels {
void borrowed_log_softmax(ConstMatrixRef z, MatrixRef y) { log_softmax_forward(z, y); }
}  // namespace gradlab::kernels
