"""An independent PyTorch (Python) transcription of RDT's runner, its diffusion schedules
and its initial position tables, for parity tests and the throughput benchmark of
rdt-trainer. Written from RDT's models/rdt/*.py, models/rdt_runner.py and timm 1.0.3 /
diffusers 0.27 behaviour; depends on torch alone (Debian's python3-torch 1.13).
"""
import json
import math
import re
import struct
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F


# ----------------------------------------------------------------------------- layers
class RmsNorm(nn.Module):
    """timm 1.0.3 RmsNorm without apex: x * rsqrt(var(x, unbiased) + eps) * weight."""

    def __init__(self, dim, true_rms=False, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))
        self.true_rms = true_rms
        self.eps = eps

    def forward(self, x):
        second = x.pow(2).mean(-1, keepdim=True) if self.true_rms else torch.var(x, dim=-1, keepdim=True)
        return x * torch.rsqrt(second + self.eps) * self.weight


def attention(q, k, v, mask=None):
    # timm's fused path (F.scaled_dot_product_attention, PyTorch >= 2.0), as the official
    # code runs on a GPU server; the explicit softmax otherwise.
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=None if mask is None else mask[:, None, None, :])
    scale = q.shape[-1] ** -0.5
    attn = (q * scale) @ k.transpose(-2, -1)
    if mask is not None:
        attn = attn.masked_fill(~mask[:, None, None, :], float("-inf"))
    return attn.softmax(-1) @ v


class Attention(nn.Module):
    def __init__(self, dim, heads, true_rms):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.qkv = nn.Linear(dim, dim * 3, bias=True)
        self.q_norm = RmsNorm(self.head_dim, true_rms)
        self.k_norm = RmsNorm(self.head_dim, true_rms)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        B, N, C = x.shape
        q, k, v = self.qkv(x).reshape(B, N, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        out = attention(self.q_norm(q), self.k_norm(k), v)
        return self.proj(out.transpose(1, 2).reshape(B, N, C))


class CrossAttention(nn.Module):
    def __init__(self, dim, heads, true_rms):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.q = nn.Linear(dim, dim, bias=True)
        self.kv = nn.Linear(dim, dim * 2, bias=True)
        self.q_norm = RmsNorm(self.head_dim, true_rms)
        self.k_norm = RmsNorm(self.head_dim, true_rms)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, c, mask=None):
        B, N, C = x.shape
        L = c.shape[1]
        q = self.q(x).reshape(B, N, self.heads, self.head_dim).permute(0, 2, 1, 3)
        k, v = self.kv(c).reshape(B, L, 2, self.heads, self.head_dim).permute(2, 0, 3, 1, 4).unbind(0)
        out = attention(self.q_norm(q), self.k_norm(k), v, mask)
        return self.proj(out.permute(0, 2, 1, 3).reshape(B, N, C))


class Mlp(nn.Module):
    def __init__(self, dim, hidden, out):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, out)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x), approximate="tanh"))


class RDTBlock(nn.Module):
    def __init__(self, dim, heads, true_rms):
        super().__init__()
        self.norm1 = RmsNorm(dim, true_rms)
        self.attn = Attention(dim, heads, true_rms)
        self.cross_attn = CrossAttention(dim, heads, true_rms)
        self.norm2 = RmsNorm(dim, true_rms)
        self.ffn = Mlp(dim, dim, dim)
        self.norm3 = RmsNorm(dim, true_rms)

    def forward(self, x, c, mask=None):
        x = x + self.attn(self.norm1(x))
        x = x + self.cross_attn(self.norm2(x), c, mask)
        return x + self.ffn(self.norm3(x))


class FinalLayer(nn.Module):
    def __init__(self, dim, out, true_rms):
        super().__init__()
        self.norm_final = RmsNorm(dim, true_rms)
        self.ffn_final = Mlp(dim, dim, out)

    def forward(self, x):
        return self.ffn_final(self.norm_final(x))


class TimestepEmbedder(nn.Module):
    def __init__(self, dim, freq_size=256):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(freq_size, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.freq_size = freq_size

    def forward(self, t):
        half = self.freq_size // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
        args = t[:, None].float() * freqs[None]
        return self.mlp(torch.cat([torch.cos(args), torch.sin(args)], -1))


# ------------------------------------------------------------------- position tables
def sincos_1d(dim, pos):
    omega = torch.arange(dim // 2, dtype=torch.float64) / (dim / 2.0)
    omega = 1.0 / 10000 ** omega
    out = pos.reshape(-1).double()[:, None] * omega[None]
    return torch.cat([torch.sin(out), torch.cos(out)], 1)


def sincos_nd(dim, sizes):
    emb = torch.zeros(tuple(sizes) + (dim,), dtype=torch.float64)
    valid = [s for s in sizes if s > 1]
    if not valid:
        return emb
    each = dim // len(valid)
    each -= each % 2
    j = 0
    for i, s in enumerate(sizes):
        if s <= 1:
            continue
        shape = [1] * len(sizes) + [each]
        shape[i] = -1
        emb[..., j * each:(j + 1) * each] += sincos_1d(each, torch.arange(s)).reshape(shape)
        j += 1
    return emb


def multimodal_pos_embed(dim, modalities, embed_modality=True):
    n = len(modalities)
    modality = torch.zeros(n, dim, dtype=torch.float64)
    pos_dim = dim
    if embed_modality:
        modality[:, :dim // 2] = sincos_1d(dim // 2, torch.arange(n))
        pos_dim = dim // 2
    parts = []
    for idx, (name, size) in enumerate(modalities):
        if name == "image" and isinstance(size, (tuple, list)):
            all_sizes = tuple(abs(s) for s in size)
            emb_sizes = tuple(s if s > 0 else 1 for s in size)
            table = torch.zeros(all_sizes + (dim,), dtype=torch.float64)
            table[..., -pos_dim:] += sincos_nd(pos_dim, emb_sizes)
            table = table.reshape(-1, dim)
        else:
            table = torch.zeros(abs(size), dim, dtype=torch.float64)
            table[:, -pos_dim:] += sincos_1d(pos_dim, torch.arange(size if size > 0 else 1))
        parts.append(table + modality[idx])
    return torch.cat(parts, 0)


# ----------------------------------------------------------------------------- model
class RDT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        H = cfg["hidden_size"]
        self.horizon = cfg["horizon"]
        self.t_embedder = TimestepEmbedder(H)
        self.freq_embedder = TimestepEmbedder(H)
        self.x_pos_embed = nn.Parameter(torch.zeros(1, cfg["horizon"] + 3, H))
        self.lang_cond_pos_embed = nn.Parameter(torch.zeros(1, cfg["max_lang_cond_len"], H))
        img_len = cfg["img_history_size"] * cfg["num_cameras"] * cfg["img_num_patches"]
        self.img_cond_pos_embed = nn.Parameter(torch.zeros(1, img_len, H))
        self.blocks = nn.ModuleList([RDTBlock(H, cfg["num_heads"], cfg["true_rms"]) for _ in range(cfg["depth"])])
        self.final_layer = FinalLayer(H, cfg["state_dim"], cfg["true_rms"])
        self.cfg = cfg
        self.initialize_weights()

    def initialize_weights(self):
        for m in self.modules():
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
        H, c = self.cfg["hidden_size"], self.cfg
        with torch.no_grad():
            self.x_pos_embed.copy_(multimodal_pos_embed(
                H, [("timestep", 1), ("ctrl_freq", 1), ("state", 1), ("action", c["horizon"])]).float()[None])
            self.lang_cond_pos_embed.copy_(multimodal_pos_embed(
                H, [("lang", -c["max_lang_cond_len"])], False).float()[None])
            self.img_cond_pos_embed.copy_(multimodal_pos_embed(
                H, [("image", (c["img_history_size"], c["num_cameras"], -c["img_num_patches"]))], False).float()[None])
        for e in (self.t_embedder, self.freq_embedder):
            nn.init.normal_(e.mlp[0].weight, std=0.02)
            nn.init.normal_(e.mlp[2].weight, std=0.02)
        nn.init.zeros_(self.final_layer.ffn_final.fc2.weight)
        nn.init.zeros_(self.final_layer.ffn_final.fc2.bias)

    def forward(self, x, freq, t, lang_c, img_c, lang_mask=None):
        t = self.t_embedder(t)[:, None]
        freq = self.freq_embedder(freq)[:, None]
        if t.shape[0] == 1:
            t = t.expand(x.shape[0], -1, -1)
        x = torch.cat([t, freq, x], 1) + self.x_pos_embed
        lang_c = lang_c + self.lang_cond_pos_embed[:, :lang_c.shape[1]]
        img_c = img_c + self.img_cond_pos_embed
        for i, block in enumerate(self.blocks):
            x = block(x, lang_c, lang_mask) if i % 2 == 0 else block(x, img_c, None)
        return self.final_layer(x)[:, -self.horizon:]


def adaptor(kind, n_in, n_out):
    depth = int(re.match(r"^mlp(\d+)x_gelu$", kind).group(1))
    layers = [nn.Linear(n_in, n_out)]
    for _ in range(1, depth):
        layers += [nn.GELU(approximate="tanh"), nn.Linear(n_out, n_out)]
    return nn.Sequential(*layers)


class RDTRunner(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.model = RDT(cfg)
        H = cfg["hidden_size"]
        self.lang_adaptor = adaptor("mlp2x_gelu", cfg["lang_token_dim"], H)
        self.img_adaptor = adaptor("mlp2x_gelu", cfg["img_token_dim"], H)
        self.state_adaptor = adaptor("mlp3x_gelu", cfg["state_dim"] * 2, H)
        self.cfg = cfg

    def denoise(self, lang_tokens, lang_mask, img_tokens, state_tokens, noisy_action, action_mask, timesteps, ctrl_freqs):
        traj = torch.cat([state_tokens, noisy_action], 1)
        traj = torch.cat([traj, action_mask.expand(-1, traj.shape[1], -1)], 2)
        return self.model(self.state_adaptor(traj), ctrl_freqs, timesteps,
                          self.lang_adaptor(lang_tokens), self.img_adaptor(img_tokens), lang_mask)

    @torch.no_grad()
    def sample(self, lang_tokens, lang_mask, img_tokens, state_tokens, action_mask, ctrl_freqs, noise, solver):
        lang_c, img_c = self.lang_adaptor(lang_tokens), self.img_adaptor(img_tokens)
        state_traj = self.state_adaptor(torch.cat([state_tokens, action_mask], 2))
        mask = action_mask.expand(-1, noise.shape[1], -1)
        x = noise
        solver.reset()
        for i, t in enumerate(solver.timesteps):
            traj = torch.cat([state_traj, self.state_adaptor(torch.cat([x, mask], 2))], 1)
            out = self.model(traj, ctrl_freqs, torch.tensor([t]), lang_c, img_c, lang_mask)
            x = solver.step(out, i, x)
        return x * mask


# ------------------------------------------------------------------------- diffusion
def cosine_betas(n):
    abar = lambda t: math.cos((t + 0.008) / 1.008 * math.pi / 2) ** 2
    return torch.tensor([min(1 - abar((i + 1) / n) / abar(i / n), 0.999) for i in range(n)], dtype=torch.float32)


def alphas_cumprod(n=1000):
    return torch.cumprod(1.0 - cosine_betas(n), 0)


def add_noise(x0, noise, t, acp):
    a = acp[t].reshape(-1, 1, 1)
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


class DpmSolverPP:
    """DPM-Solver++ 2M (midpoint), lower-order first and final steps, final sigma 0,
    'sample' prediction; timesteps by linspace over [0, n-1], as diffusers does."""

    def __init__(self, steps=5, n=1000):
        acp = alphas_cumprod(n)
        sig = ((1 - acp) / acp) ** 0.5
        raw = torch.linspace(0, n - 1, steps + 1, dtype=torch.float64)
        self.timesteps = [int(v) for v in torch.round(raw).flip(0)[:-1].tolist()]
        self.sigmas = [float(sig[t]) for t in self.timesteps] + [0.0]
        self.reset()

    def reset(self):
        self.outputs = []

    @staticmethod
    def _as(sigma):
        alpha = 1.0 / math.sqrt(sigma * sigma + 1.0)
        s = sigma * alpha
        return alpha, s, math.log(alpha) - math.log(s)

    def step(self, x0, i, x):
        self.outputs = (self.outputs + [x0])[-2:]
        if self.sigmas[i + 1] == 0.0:
            return x0
        a_t, s_t, l_t = self._as(self.sigmas[i + 1])
        a_0, s_0, l_0 = self._as(self.sigmas[i])
        h = l_t - l_0
        e = math.exp(-h) - 1.0
        if i == 0 or i == len(self.timesteps) - 1:
            return (s_t / s_0) * x - (a_t * e) * x0
        _, _, l_1 = self._as(self.sigmas[i - 1])
        r0 = (l_0 - l_1) / h
        d1 = (1.0 / r0) * (self.outputs[-1] - self.outputs[-2])
        return (s_t / s_0) * x - (a_t * e) * self.outputs[-1] - 0.5 * (a_t * e) * d1


# ----------------------------------------------------------------------- safetensors
_ST_DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
              torch.int32: "I32", torch.uint8: "U8", torch.bool: "BOOL", torch.float64: "F64"}


def write_safetensors(path, tensors):
    """A safetensors writer independent of rdt-trainer's (and of the safetensors package)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": _ST_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    back = {v: k for k, v in _ST_DTYPES.items()}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        dtype = back[info["dtype"]]
        buf = bytearray(data[b:e])
        if dtype == torch.bfloat16:
            t = torch.frombuffer(buf, dtype=torch.int16).view(torch.bfloat16) if buf else torch.empty(0, dtype=dtype)
        else:
            t = torch.frombuffer(buf, dtype=dtype) if buf else torch.empty(0, dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out
