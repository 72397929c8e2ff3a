"""Writes a parity fixture for rdt-trainer's tests with the Python reference: a tiny RDT
config (config.yaml, base.yaml schema), its perturbed weights saved by torch.save (float32
and bfloat16) and by an independent safetensors writer, forward inputs, and the expected
outputs (pred, 5-step DPM-Solver++ sample, the initial position tables, alphas_cumprod).

usage: make_parity_fixture.py OUT_DIR [--true_rms]
"""
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdt_reference as ref  # noqa: E402

TINY = dict(hidden_size=64, depth=4, num_heads=4, horizon=64, state_dim=128, lang_token_dim=32,
            img_token_dim=24, max_lang_cond_len=16, img_history_size=2, num_cameras=3, img_num_patches=4)

CONFIG_YAML = """common:
  img_history_size: {img_history_size}
  action_chunk_size: {horizon}
  num_cameras: {num_cameras}
  state_dim: {state_dim}
dataset:
  tokenizer_max_length: {max_lang_cond_len}
model:
  lang_adaptor: mlp2x_gelu
  img_adaptor: mlp2x_gelu
  state_adaptor: mlp3x_gelu
  lang_token_dim: {lang_token_dim}
  img_token_dim: {img_token_dim}
  state_token_dim: {state_dim}
  img_num_patches: {img_num_patches}
  rdt:
    hidden_size: {hidden_size}
    depth: {depth}
    num_heads: {num_heads}
    cond_pos_embed_type: multimodal
    rms_norm: {rms_norm}
  noise_scheduler:
    type: ddpm
    num_train_timesteps: 1000
    num_inference_timesteps: 5
    beta_schedule: squaredcos_cap_v2
    prediction_type: sample
    clip_sample: False
  ema:
    update_after_step: 0
    inv_gamma: 1.0
    power: 0.75
    min_value: 0.0
    max_value: 0.9999
"""


def main():
    out = sys.argv[1]
    true_rms = "--true_rms" in sys.argv
    os.makedirs(out, exist_ok=True)
    cfg = dict(TINY, true_rms=true_rms)
    torch.manual_seed(1234)
    runner = ref.RDTRunner(cfg)
    init = {"x_pos_embed": runner.model.x_pos_embed.detach().clone(),
            "lang_cond_pos_embed": runner.model.lang_cond_pos_embed.detach().clone(),
            "img_cond_pos_embed": runner.model.img_cond_pos_embed.detach().clone()}
    # Perturb every weight so no layer is an identity or zero (fc2 starts at zero).
    with torch.no_grad():
        for p in runner.parameters():
            p.add_(0.05 * torch.randn_like(p))
    with open(os.path.join(out, "config.yaml"), "w") as f:
        f.write(CONFIG_YAML.format(**TINY, rms_norm="rms" if true_rms else "timm"))
    state = runner.state_dict()
    torch.save(state, os.path.join(out, "pytorch_model.bin"))
    torch.save(type(state)((k, v.to(torch.bfloat16)) for k, v in state.items()),
               os.path.join(out, "pytorch_model_bf16.bin"))
    ref.write_safetensors(os.path.join(out, "model.safetensors"), state)

    B, L, D = 2, 5, 128
    img_len = TINY["img_history_size"] * TINY["num_cameras"] * TINY["img_num_patches"]
    lang_mask = torch.ones(B, L, dtype=torch.bool)
    lang_mask[1, 3:] = False
    action_mask = (torch.rand(B, 1, D) > 0.5).float()
    inputs = {
        "lang_tokens": torch.randn(B, L, TINY["lang_token_dim"]),
        "lang_mask": lang_mask.float(),
        "img_tokens": torch.randn(B, img_len, TINY["img_token_dim"]),
        "state_tokens": torch.randn(B, 1, D),
        "action_mask": action_mask,
        "noisy_action": torch.randn(B, TINY["horizon"], D),
        "timesteps": torch.tensor([999, 17], dtype=torch.int64),
        "ctrl_freqs": torch.tensor([20.0, 25.0]),
        "init_noise": torch.randn(B, TINY["horizon"], D),
    }
    ref.write_safetensors(os.path.join(out, "inputs.safetensors"), inputs)
    with torch.no_grad():
        pred = runner.denoise(inputs["lang_tokens"], lang_mask, inputs["img_tokens"], inputs["state_tokens"],
                              inputs["noisy_action"], action_mask, inputs["timesteps"], inputs["ctrl_freqs"])
        sampled = runner.sample(inputs["lang_tokens"], lang_mask, inputs["img_tokens"], inputs["state_tokens"],
                                action_mask, inputs["ctrl_freqs"], inputs["init_noise"], ref.DpmSolverPP())
    acp = ref.alphas_cumprod()
    expected = dict(pred=pred, sampled=sampled, alphas_cumprod=acp,
                    noised=ref.add_noise(inputs["noisy_action"], inputs["init_noise"], inputs["timesteps"], acp),
                    **{"init." + k: v for k, v in init.items()})
    ref.write_safetensors(os.path.join(out, "expected.safetensors"), expected)


if __name__ == "__main__":
    main()
