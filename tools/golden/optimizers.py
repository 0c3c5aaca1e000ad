#!/usr/bin/python3
"""Golden trajectories of PyTorch's optimizers for lab 05's tests.

Run once by a maintainer, with PyTorch 1.13 (Debian's python3-torch):

    /usr/bin/python3 tools/golden/optimizers.py > labs/05_optimizers/tests/golden_optimizers.inc

The output is committed; the tests read it (labs/05_optimizers/tests/golden.h), so
neither CI nor students ever need PyTorch. It is plain text wrapped in a C++ raw string
literal, so the tests compile it in and need no file at run time.

One parameter theta of shape [2, 3] starts at THETA0 and receives the same fixed
sequence of gradients (not depending on theta) in every case; each case runs one
torch.optim optimizer for STEPS steps and writes theta after each of them. The
gradients are large in the first two steps and small afterwards, so that AMSGrad's
running maximum differs from Adam's second moment.

Format of the text inside the literal (whitespace-separated):
    shape R C
    theta0 v1 … v(R·C)                 (row-major)
    grad K v1 … v(R·C)                 (the gradient of step K = 1, 2, …)
    case NAME OPTIMIZER key=value …    (options, with gradlab's field names)
    step K v1 … v(R·C)                 (theta after step K of the case above)
Values are printed with repr(): 17 significant digits, so they read back exactly.
"""
import math

import torch

ROWS, COLS = 2, 3
STEPS = 8
THETA0 = [0.5, -1.2, 2.0, 0.03, -0.7, 1.1]


def gradient(k):
    """The gradient of step k (1-based): an oscillating pattern, large for k <= 2."""
    scale = 2.0 if k <= 2 else 0.3
    return [scale * math.sin(1.3 * i + 0.7 * k) * (1.0 + 0.5 * i) for i in range(ROWS * COLS)]


# name, optimizer, gradlab options (written to the file), torch constructor
CASES = [
    ("sgd", "sgd", {"lr": 0.1}, lambda p: torch.optim.SGD(p, lr=0.1)),
    ("sgd_weight_decay", "sgd", {"lr": 0.1, "weight_decay": 0.05},
     lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.05)),
    ("sgd_momentum", "sgd", {"lr": 0.1, "momentum": 0.9},
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    ("sgd_momentum_dampening", "sgd", {"lr": 0.1, "momentum": 0.8, "dampening": 0.5, "weight_decay": 0.05},
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.8, dampening=0.5, weight_decay=0.05)),
    ("sgd_nesterov", "sgd", {"lr": 0.1, "momentum": 0.9, "nesterov": 1, "weight_decay": 0.05},
     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.05)),
    ("adagrad", "adagrad", {"lr": 0.1}, lambda p: torch.optim.Adagrad(p, lr=0.1)),
    ("adagrad_full", "adagrad",
     {"lr": 0.1, "lr_decay": 0.1, "weight_decay": 0.05, "initial_accumulator_value": 0.5, "eps": 1e-6},
     lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.1, weight_decay=0.05,
                                   initial_accumulator_value=0.5, eps=1e-6)),
    ("rmsprop", "rmsprop", {"lr": 0.01}, lambda p: torch.optim.RMSprop(p, lr=0.01)),
    ("rmsprop_centered", "rmsprop", {"lr": 0.01, "alpha": 0.9, "centered": 1},
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, centered=True)),
    ("rmsprop_full", "rmsprop",
     {"lr": 0.01, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.05, "momentum": 0.5, "centered": 1},
     lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-6, weight_decay=0.05, momentum=0.5,
                                   centered=True)),
    ("adam", "adam", {"lr": 0.01}, lambda p: torch.optim.Adam(p, lr=0.01)),
    ("adam_weight_decay", "adam", {"lr": 0.01, "beta1": 0.8, "beta2": 0.99, "weight_decay": 0.1},
     lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1)),
    ("adam_amsgrad", "adam", {"lr": 0.01, "beta2": 0.5, "amsgrad": 1},
     lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.5), amsgrad=True)),
    ("adamw", "adamw", {"lr": 0.01, "weight_decay": 0.1},
     lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
    ("adamw_amsgrad", "adamw", {"lr": 0.01, "beta2": 0.5, "weight_decay": 0.1, "amsgrad": 1},
     lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.5), weight_decay=0.1, amsgrad=True)),
]


def values(xs):
    return " ".join(repr(float(x)) for x in xs)


def main():
    torch.set_default_dtype(torch.float64)
    print(f"// Written by tools/golden/optimizers.py with PyTorch {torch.__version__}; do not edit.")
    print('R"golden(')
    print(f"shape {ROWS} {COLS}")
    print(f"theta0 {values(THETA0)}")
    for k in range(1, STEPS + 1):
        print(f"grad {k} {values(gradient(k))}")
    for name, optimizer, options, make in CASES:
        theta = torch.tensor(THETA0, dtype=torch.float64).reshape(ROWS, COLS).requires_grad_()
        opt = make([theta])
        print(f"case {name} {optimizer} " + " ".join(f"{k}={v!r}" for k, v in options.items()))
        for k in range(1, STEPS + 1):
            opt.zero_grad()
            theta.grad = torch.tensor(gradient(k), dtype=torch.float64).reshape(ROWS, COLS)
            opt.step()
            print(f"step {k} {values(theta.detach().reshape(-1).tolist())}")
    print(')golden"')


if __name__ == "__main__":
    main()
