"""Loads an rdt-trainer checkpoint folder the way the official code would: builds the
runner from its Hugging Face config.json (RDTRunner's constructor arguments) and loads
model.safetensors with strict key and shape checking; then runs the denoiser once and
writes its output, so the caller can compare it with rdt-trainer's own.

usage: load_checkpoint.py CHECKPOINT_DIR OUT.safetensors
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdt_reference as ref  # noqa: E402


def main():
    folder, out = sys.argv[1], sys.argv[2]
    with open(os.path.join(folder, "config.json")) as f:
        hf = json.load(f)
    image = hf["img_pos_embed_config"][0][1]
    cfg = dict(hidden_size=hf["config"]["rdt"]["hidden_size"], depth=hf["config"]["rdt"]["depth"],
               num_heads=hf["config"]["rdt"]["num_heads"], horizon=hf["pred_horizon"], state_dim=hf["action_dim"],
               lang_token_dim=hf["lang_token_dim"], img_token_dim=hf["img_token_dim"],
               max_lang_cond_len=hf["max_lang_cond_len"], img_history_size=image[0], num_cameras=image[1],
               img_num_patches=-image[2], true_rms=hf.get("rdt_trainer", {}).get("rms_norm") == "rms")
    runner = ref.RDTRunner(cfg)
    runner.load_state_dict(ref.read_safetensors(os.path.join(folder, "model.safetensors")), strict=True)
    torch.manual_seed(0)
    B, L = 2, 3
    img_len = cfg["img_history_size"] * cfg["num_cameras"] * cfg["img_num_patches"]
    inputs = {"lang_tokens": torch.randn(B, L, cfg["lang_token_dim"]), "lang_mask": torch.ones(B, L),
              "img_tokens": torch.randn(B, img_len, cfg["img_token_dim"]), "state_tokens": torch.randn(B, 1, 128),
              "action_mask": torch.ones(B, 1, 128), "noisy_action": torch.randn(B, cfg["horizon"], 128),
              "timesteps": torch.tensor([10, 700]), "ctrl_freqs": torch.tensor([20.0, 20.0])}
    with torch.no_grad():
        pred = runner.denoise(inputs["lang_tokens"], inputs["lang_mask"].bool(), inputs["img_tokens"],
                              inputs["state_tokens"], inputs["noisy_action"], inputs["action_mask"],
                              inputs["timesteps"], inputs["ctrl_freqs"])
    ref.write_safetensors(out, dict(inputs, python_pred=pred))


if __name__ == "__main__":
    main()
