"""The PyTorch (Python) side of bench/trainer_throughput: the same tiny-to-small RDT and the
same training step as rdt-trainer's loop (noise, DDPM noising, denoiser, MSE, backward,
clip, AdamW, EMA), on a fixed synthetic batch. Prints one JSON line: samples/s, peak RSS.

usage: trainer_throughput.py --hidden 256 --depth 4 --heads 8 --batch 8 --steps 20 --threads 2
                             [--device cpu|cuda] [--precision fp32|bf16]
On CUDA the optimizer and clipping are PyTorch's defaults there (multi-tensor), the EMA is
RDT's per-parameter loop, and bf16 is torch.autocast as accelerate sets it up; the memory
figure is then the CUDA allocator's peak.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "training", "python"))
import rdt_reference as ref  # noqa: E402


def profile_steps(step, first, count, device):
    """Where a step's time goes: the operators and kernels by total time, on stderr."""
    from torch.profiler import ProfilerActivity, profile
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
    with profile(activities=activities) as prof:
        for i in range(first, first + count):
            step(i)
    key = "cuda_time_total" if device.type == "cuda" else "cpu_time_total"
    try:
        table = prof.key_averages().table(sort_by=key, row_limit=25)
    except (AttributeError, KeyError, ValueError):
        table = prof.key_averages().table(sort_by="device_time_total", row_limit=25)
    print(table, file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    for name, default in [("hidden", 256), ("depth", 4), ("heads", 8), ("batch", 8), ("steps", 20), ("warmup", 3),
                          ("threads", 2), ("rounds", 3), ("lang_len", 32), ("lang_dim", 4096), ("img_dim", 1152), ("patches", 16)]:
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--device", default="cpu")
    p.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--profile", type=int, default=0, help="after timing, profile N steps; kernel table on stderr")
    a = p.parse_args()
    device = torch.device(a.device)
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = dict(hidden_size=a.hidden, depth=a.depth, num_heads=a.heads, horizon=64, state_dim=128,
               lang_token_dim=a.lang_dim, img_token_dim=a.img_dim, max_lang_cond_len=1024, img_history_size=2,
               num_cameras=3, img_num_patches=a.patches, true_rms=False)
    runner = ref.RDTRunner(cfg).to(device)
    ema = [q.detach().clone() for q in runner.parameters()]
    opt = torch.optim.AdamW(runner.parameters(), lr=1e-4, betas=(0.9, 0.999), weight_decay=1e-2, eps=1e-8)
    acp = ref.alphas_cumprod().to(device)
    B = a.batch
    lang = torch.randn(B, a.lang_len, a.lang_dim, device=device)
    mask = torch.ones(B, a.lang_len, dtype=torch.bool, device=device)
    img = torch.randn(B, 6 * a.patches, a.img_dim, device=device)
    state = torch.randn(B, 1, 128, device=device)
    amask = torch.ones(B, 1, 128, device=device)
    actions = torch.randn(B, 64, 128, device=device)
    freqs = torch.full((B,), 20.0, device=device)

    def step(i):
        noise = torch.randn(actions.shape, device=device)
        t = torch.randint(0, 1000, (B,), device=device)
        with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=a.precision == "bf16"):
            pred = runner.denoise(lang, mask, img, state, ref.add_noise(actions, noise, t, acp), amask, t, freqs)
            loss = torch.nn.functional.mse_loss(pred.float(), actions)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(runner.parameters(), 1.0)
        opt.step()
        opt.zero_grad()
        decay = 0.0 if i <= 1 else min(1 - (1 + i - 1) ** -0.75, 0.9999)
        with torch.no_grad():
            for e, q in zip(ema, runner.parameters()):
                e.mul_(decay).add_(q, alpha=1 - decay)
        return loss.item()

    for i in range(a.warmup):
        step(i)
    # Best of several rounds: on a shared machine the fastest round is the least disturbed.
    best, best_cpu, i = 0.0, 0.0, a.warmup
    for _ in range(a.rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(a.steps):
            step(i)
            i += 1
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        best, best_cpu = max(best, B * a.steps / seconds), max(best_cpu, B * a.steps / cpu_seconds)
    if a.profile:
        profile_steps(step, i, a.profile, device)
    result = {"samples_per_s": best, "samples_per_cpu_s": best_cpu,
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}
    if device.type == "cuda":
        result["peak_device_mb"] = torch.cuda.max_memory_allocated(device) / 2.0 ** 20
        result["device_name"] = torch.cuda.get_device_name(device)
        result["torch"] = torch.__version__
    print(json.dumps(result))


if __name__ == "__main__":
    main()
