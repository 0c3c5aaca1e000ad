/// \file
/// \brief Includes the whole public API of the gradlab framework.
#pragma once

#include "gradlab/activations.h"
#include "gradlab/autograd.h"
#include "gradlab/core.h"
#include "gradlab/deep.h"
#include "gradlab/init.h"
#include "gradlab/linear.h"
#include "gradlab/losses.h"
#include "gradlab/metrics.h"
#include "gradlab/module.h"
#include "gradlab/normalization.h"
#include "gradlab/ops.h"
#include "gradlab/optimizer.h"
#include "gradlab/pipeline.h"
#include "gradlab/preprocessing.h"
#include "gradlab/random.h"
#include "gradlab/regularization.h"
#include "gradlab/scheduler.h"
#include "gradlab/tensor.h"
#include "gradlab/trainer.h"
