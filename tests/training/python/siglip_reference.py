"""A plain-PyTorch transcription of transformers' SiglipVisionModel and of the way RDT's
VLAConsumerDataset prepares an image for it (expand2square with the processor's mean colour,
then SiglipImageProcessor: PIL bicubic resize, rescale 1/255, normalise), written from
reading those sources. It is the reference rdt-trainer's SigLIP tower is checked against.

usage:
  siglip_reference.py make OUT_DIR [--hidden H --layers N --heads A --mlp M --image S --patch P]
      writes a Hugging Face SigLIP folder (config.json, preprocessor_config.json,
      model.safetensors with random vision_model.* plus text_model.* and head keys that a
      vision tower must ignore), pixels.safetensors (pixel_values float32 [N,3,S,S]) with
      pixels_expected.safetensors (last_hidden_state), and images_<i>.safetensors (images
      uint8 [1,H,W,3]: wide, tall and square frames) with images_<i>_expected.safetensors
      (pixel_values as RDT prepares them, last_hidden_state of those).
  siglip_reference.py bench MODEL_DIR BATCH REPEATS THREADS DEVICE fp32|bf16
      times the forward of a random batch (best of REPEATS after a warm-up); prints
      "seconds_per_forward X".
"""
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdt_reference as ref  # noqa: E402  (write_safetensors)


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.patch_embedding = nn.Conv2d(c["num_channels"], c["hidden_size"], c["patch_size"], stride=c["patch_size"])
        patches = (c["image_size"] // c["patch_size"]) ** 2
        self.position_embedding = nn.Embedding(patches, c["hidden_size"])

    def forward(self, pixels):
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        return x + self.position_embedding.weight[None]


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        d = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.q_proj, self.k_proj = nn.Linear(d, d), nn.Linear(d, d)
        self.v_proj, self.out_proj = nn.Linear(d, d), nn.Linear(d, d)

    def forward(self, x):
        b, n, d = x.shape
        hd = d // self.heads
        split = lambda t: t.view(b, n, self.heads, hd).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        w = torch.matmul(q, k.transpose(2, 3)) * hd ** -0.5
        w = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
        out = torch.matmul(w, v).transpose(1, 2).reshape(b, n, d)
        return self.out_proj(out)


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.fc2 = nn.Linear(c["intermediate_size"], c["hidden_size"])

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class EncoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        eps = c["layer_norm_eps"]
        self.layer_norm1 = nn.LayerNorm(c["hidden_size"], eps=eps)
        self.self_attn = SelfAttention(c)
        self.layer_norm2 = nn.LayerNorm(c["hidden_size"], eps=eps)
        self.mlp = Mlp(c)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(c) for _ in range(c["num_hidden_layers"])])


class VisionModel(nn.Module):
    """Holds the transformer as `vision_model`, so its state dict has the checkpoint's keys."""

    def __init__(self, c):
        super().__init__()
        self.vision_model = nn.Module()
        self.vision_model.embeddings = Embeddings(c)
        self.vision_model.encoder = Encoder(c)
        self.vision_model.post_layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, pixels):
        vm = self.vision_model
        x = vm.embeddings(pixels)
        for layer in vm.encoder.layers:
            x = layer(x)
        return vm.post_layernorm(x)  # last_hidden_state


def vision_config(hidden, layers, heads, mlp, image, patch):
    return dict(hidden_size=hidden, intermediate_size=mlp, num_hidden_layers=layers, num_attention_heads=heads,
                num_channels=3, image_size=image, patch_size=patch, hidden_act="gelu_pytorch_tanh",
                layer_norm_eps=1e-6, attention_dropout=0.0, model_type="siglip_vision_model")


def preprocess(frame_hwc, size, mean=(0.5, 0.5, 0.5), std=(0.5, 0.5, 0.5)):
    """RDT's expand2square, then SiglipImageProcessor (resize with PIL bicubic, rescale,
    normalise). frame_hwc: uint8 tensor [H, W, 3]. Returns float32 [3, size, size]."""
    from PIL import Image
    image = Image.fromarray(frame_hwc.numpy())
    w, h = image.size
    fill = tuple(int(m * 255) for m in mean)
    if w != h:
        side = max(w, h)
        square = Image.new(image.mode, (side, side), fill)
        square.paste(image, (0, (w - h) // 2) if w > h else ((h - w) // 2, 0))
        image = square
    image = image.resize((size, size), resample=Image.BICUBIC)
    pixels = torch.tensor(list(image.getdata()), dtype=torch.float64).reshape(size, size, 3).permute(2, 0, 1)
    pixels = pixels * (1 / 255)
    mean_t = torch.tensor(mean, dtype=torch.float64)[:, None, None]
    std_t = torch.tensor(std, dtype=torch.float64)[:, None, None]
    return ((pixels - mean_t) / std_t).float()


def random_weights(model, generator):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" in name or "post_layernorm" in name:
                base = 1.0 if name.endswith("weight") else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=generator))
            else:
                p.copy_(0.05 * torch.randn(p.shape, generator=generator))


def make(out_dir, hidden=32, layers=2, heads=4, mlp=48, image=28, patch=7):
    os.makedirs(out_dir, exist_ok=True)
    c = vision_config(hidden, layers, heads, mlp, image, patch)
    gen = torch.Generator().manual_seed(1234)
    model = VisionModel(c).eval()
    random_weights(model, gen)
    tensors = dict(model.state_dict())
    # What the full SigLIP checkpoint also holds; a vision tower ignores it.
    tensors["text_model.embeddings.token_embedding.weight"] = torch.randn(10, hidden, generator=gen)
    tensors["vision_model.head.probe"] = torch.randn(1, 1, hidden, generator=gen)
    tensors["logit_scale"] = torch.tensor([2.3])
    ref.write_safetensors(os.path.join(out_dir, "model.safetensors"), tensors)
    config = {"architectures": ["SiglipModel"], "model_type": "siglip",
              "text_config": {"hidden_size": hidden, "vocab_size": 10}, "vision_config": c}
    with open(os.path.join(out_dir, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    processor = {"do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
                 "image_std": [0.5, 0.5, 0.5], "image_processor_type": "SiglipImageProcessor", "resample": 3,
                 "rescale_factor": 1 / 255, "size": {"height": image, "width": image}}
    with open(os.path.join(out_dir, "preprocessor_config.json"), "w") as f:
        json.dump(processor, f, indent=2)

    # Non-square frames, wide and tall, with sharp edges (noise) and smooth regions.
    frames = []
    for (h, w) in [(20, 33), (33, 20), (24, 24)]:
        noise = torch.randint(0, 256, (h, w, 3), generator=gen, dtype=torch.int64)
        ramp = (torch.arange(w)[None, :, None] * 255 // max(w - 1, 1)).expand(h, w, 3)
        frame = torch.where(torch.arange(h)[:, None, None] < h // 2, noise, ramp)
        frames.append(frame.to(torch.uint8))
    # As `rdt-trainer siglip` reads them: one file of pixel_values, one per frame size.
    with torch.no_grad():
        pixel_values = 0.8 * torch.randn(2, 3, image, image, generator=gen)
        ref.write_safetensors(os.path.join(out_dir, "pixels.safetensors"), {"pixel_values": pixel_values})
        ref.write_safetensors(os.path.join(out_dir, "pixels_expected.safetensors"),
                              {"last_hidden_state": model(pixel_values)})
        for i, frame in enumerate(frames):
            ref.write_safetensors(os.path.join(out_dir, f"images_{i}.safetensors"), {"images": frame[None]})
            pre = preprocess(frame, image)[None]
            ref.write_safetensors(os.path.join(out_dir, f"images_{i}_expected.safetensors"),
                                  {"pixel_values": pre, "last_hidden_state": model(pre)})


def bench(model_dir, batch, repeats, threads, device, precision):
    torch.set_num_threads(threads)
    with open(os.path.join(model_dir, "config.json")) as f:
        c = dict(json.load(f)["vision_config"])
    model = VisionModel(c).eval()
    state = ref.read_safetensors(os.path.join(model_dir, "model.safetensors"))
    model.load_state_dict({k: v for k, v in state.items() if k in model.state_dict()})
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    model.to(device, dtype)
    pixels = torch.randn(batch, 3, c["image_size"], c["image_size"], device=device, dtype=dtype)
    sync = torch.cuda.synchronize if device.startswith("cuda") else (lambda: None)
    best = float("inf")
    with torch.no_grad():
        model(pixels)  # warm-up
        for _ in range(repeats):
            sync()
            start = time.perf_counter()
            model(pixels)
            sync()
            best = min(best, time.perf_counter() - start)
    print(f"seconds_per_forward {best:.6f}")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "make":
        opts = dict(zip(sys.argv[3::2], sys.argv[4::2]))
        make(sys.argv[2], **{k.lstrip("-"): int(v) for k, v in opts.items()})
    elif len(sys.argv) == 8 and sys.argv[1] == "bench":
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
