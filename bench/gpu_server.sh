#!/usr/bin/env bash
# Issue 4's GPU benchmark, on a GPU server: builds rdt-trainer against the CUDA LibTorch of
# the server's PyTorch, then
#   1. bench_trainer_throughput: rdt-170m (H 1024, depth 14, 32 heads, 2x3x729 image
#      tokens) in bf16 at batch 32, our training step against the same step in that
#      PyTorch (Python), samples/s and CUDA allocator peak, in one run;
#   2. the same with LibTorch's per-parameter AdamW and clipping, to show what the
#      multi-tensor step buys;
#   3. rdt-1b (H 2048, depth 28) in bf16 at batch 16, the same comparison;
#   4. with a dataset: the data loader alone at batch 32 (bench/data_loader), a short real
#      `rdt-trainer train` of rdt-170m in bf16 (data loader, conditioning, sampling and
#      checkpoints included), and rdt-1b at batch 32, which does not fit in 80 GB: the
#      out-of-memory message, then the same run with --gradient_checkpointing.
#
# usage: bench/gpu_server.sh [DATASET.hdf5]
# Environment: PYTHON (default python3, must import torch), OUT (folder for logs; default
# /tmp/rdt-gpu), RDT_DEPS_PREFIX (an extra /usr-like prefix holding HDF5 C++, yaml-cpp
# and nlohmann-json when the server has no packages for them), RDT_DEPS_RUNTIME (shared
# libraries used only where the system lacks one of the same name), JOBS.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}
out=${OUT:-/tmp/rdt-gpu}
build=${RDT_GPU_BUILD:-/tmp/rdt-gpu-build}
jobs=${JOBS:-$(nproc)}
mkdir -p "$out"
log() { printf '\n== %s\n' "$*"; }

log "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$python" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())'
g++ --version | head -1; cmake --version | head -1; ldd --version | head -1; echo "cores: $(nproc)"

torch_prefix=$("$python" -c 'import torch; print(torch.utils.cmake_prefix_path)') || exit 1
prefixes="$torch_prefix"
cmake_extra=()
if [ -n "${RDT_DEPS_PREFIX:-}" ]; then
    deps=$(cd "$RDT_DEPS_PREFIX" && pwd)
    prefixes="$prefixes;$deps"
    cmake_extra+=("-DHDF5_ROOT=$deps/lib/x86_64-linux-gnu/hdf5/serial")
    export LD_LIBRARY_PATH="$deps/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
if [ -n "${RDT_DEPS_RUNTIME:-}" ]; then
    # Only the libraries the system does not have: its own copies stay in use.
    missing=$build/missing-libs
    mkdir -p "$missing"
    for lib in "$RDT_DEPS_RUNTIME"/*.so*; do
        name=$(basename "$lib")
        ldconfig -p | grep -q " $name " || ln -sf "$(cd "$(dirname "$lib")" && pwd)/$name" "$missing/$name"
    done
    echo "from RDT_DEPS_RUNTIME: $(ls "$missing" | tr '\n' ' ')"
    export LD_LIBRARY_PATH="$LD_LIBRARY_PATH:$missing"
fi

log "configure and build (LibTorch from $torch_prefix)"
start=$(date +%s)
cmake -S "$root/training" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_PREFIX_PATH=$prefixes" "${cmake_extra[@]}" >"$out/configure.log" 2>&1 ||
    { tail -40 "$out/configure.log"; exit 1; }
grep -i "torch\|cuda\|hdf5" "$out/configure.log" | head -20
# The data loader's benchmark builds on its own, beside the trainer.
(cmake -S "$root/bench/data_loader" -B "$build-data" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_PREFIX_PATH=$prefixes" "${cmake_extra[@]}" && ninja -C "$build-data" -j "$jobs") \
    >"$out/build-data.log" 2>&1 &
data_build=$!
if ! ninja -C "$build" -k 0 -j "$jobs" rdt-trainer bench_trainer_throughput >"$out/build.log" 2>&1; then
    grep -B2 -A6 "error" "$out/build.log" | head -150
    exit 1
fi
echo "built in $(( $(date +%s) - start )) s"
wait $data_build || { echo "data loader benchmark did not build:"; tail -20 "$out/build-data.log"; }
"$build/rdt-trainer" info --json || exit 1

bench() {
    "$build/bench_trainer_throughput" --device cuda --precision bf16 --heads 32 --lang_len 32 --patches 729 \
        --steps 10 --rounds 3 --warmup 3 --threads "$jobs" --python "$python" "$@"
}
log "rdt-170m, bf16, batch 32: rdt-trainer's step against PyTorch (PyTorch's kernel table after)"
bench --hidden 1024 --depth 14 --batch 32 --profile 3 2>"$out/profile-170m.txt"
head -40 "$out/profile-170m.txt"
log "the same with LibTorch's per-parameter AdamW and clipping"
bench --hidden 1024 --depth 14 --batch 32 --multi_tensor 0
log "rdt-1b, bf16, batch 16"
bench --hidden 2048 --depth 28 --batch 16 --steps 5

dataset=${1:-}
if [ -n "$dataset" ] && [ -x "$build-data/data_loader_bench" ]; then
    log "the data loader alone, batch 32 (the step above consumes about 170 samples/s)"
    "$build-data/data_loader_bench" --dataset "$dataset" --batch_size 32 --workers 0,4,8 --seconds 3
fi
if [ -n "$dataset" ]; then
    log "rdt-trainer train: rdt-170m, bf16, batch 32, on $dataset"
    cat >"$out/rdt-170m.yaml" <<'EOF'
common: {img_history_size: 2, action_chunk_size: 64, num_cameras: 3, state_dim: 128}
model:
  img_num_patches: 729
  rdt: {hidden_size: 1024, depth: 14, num_heads: 32}
EOF
    run=$build/run  # checkpoints are large: kept beside the build, not under OUT
    # The step's cost with RDT's frozen tower needs a SigLIP folder (VISION_ENCODER=DIR);
    # without one the trainable stand-in, opted into. The bench has no T5 embeddings of the
    # dataset's instructions: learned words, opted into.
    encoders="--vision_encoder ${VISION_ENCODER:-patch} --lang learned"
    rm -rf "$run"
    "$build/rdt-trainer" train --config "$out/rdt-170m.yaml" --dataset "$dataset" --output_dir "$run" \
        --device cuda --mixed_precision bf16 --train_batch_size 32 --max_train_steps 40 \
        --sample_period 20 --checkpointing_period 40 --dataloader_num_workers 8 --learning_rate 1e-4 $encoders
    echo "exit $?"
    cp "$run/metrics.jsonl" "$run/train.log" "$out/" 2>/dev/null
    tail -5 "$run/train.log"
    "$python" - "$run/metrics.jsonl" <<'EOF'
import json, statistics, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
steps = [l for l in lines if "loss" in l and "event" not in l]
later = steps[5:] or steps
print("steps", len(steps), "first loss", steps[0]["loss"], "last loss", steps[-1]["loss"])
print("samples/s (median after 5 steps)", statistics.median(s["samples_per_s"] for s in later))
print("data wait s (median)", statistics.median(s.get("data_wait_s", 0.0) for s in later))
print("events", sorted({l.get("event") for l in lines if "event" in l}))
EOF
    du -sh "$run"/checkpoint-* 2>/dev/null

    cat >"$out/rdt-1b.yaml" <<'EOF'
common: {img_history_size: 2, action_chunk_size: 64, num_cameras: 3, state_dim: 128}
model:
  img_num_patches: 729
  rdt: {hidden_size: 2048, depth: 28, num_heads: 32}
EOF
    for extra in "" "--gradient_checkpointing"; do
        log "rdt-trainer train: rdt-1b, bf16, batch 32 $extra"
        rm -rf "$run"
        timeout 100 "$build/rdt-trainer" train --config "$out/rdt-1b.yaml" --dataset "$dataset" --output_dir "$run" \
            --device cuda --mixed_precision bf16 --train_batch_size 32 --max_train_steps 4 \
            --dataloader_num_workers 8 $encoders $extra 2>&1 | grep -v "^step [12] "  # the final checkpoint is 19 GB: cut off
        echo "exit ${PIPESTATUS[0]}"
        grep -h '"error"' "$run/metrics.jsonl" 2>/dev/null | head -2
    done
fi
