#!/usr/bin/env bash
# Grade a class as a Slurm job array of 8 slices, then merge them:
#   jobid=$(sbatch --parsable docs/cluster/slurm-report.sh)
#   sbatch --dependency=afterany:$jobid --wrap \
#     '/shared/course/gradlab/build/default/bin/grader --source /shared/course/gradlab \
#        --build /shared/course/gradlab/build/default report --merge /shared/course/out/shard-* \
#        --out /shared/course/out/class-report'
#SBATCH --job-name=gradlab-report
#SBATCH --array=0-7
#SBATCH --cpus-per-task=4
#SBATCH --mem=16G
#SBATCH --time=04:00:00
set -euo pipefail
course=/shared/course
repo="$course/gradlab"
slices=8
exec "$repo/build/default/bin/grader" --source "$repo" --build "$repo/build/default" \
  report "$course"/submissions/* \
  --shard "$((SLURM_ARRAY_TASK_ID + 1))/$slices" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "$course/out/shard-$SLURM_ARRAY_TASK_ID"
