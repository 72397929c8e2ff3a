"""Writes language-embedding files as RDT's scripts do, with Python's torch.save, for
rdt-trainer's tests: what C++ reads must be these tensors exactly.

usage: make_lang_fixture.py OUT_DIR DIM
  OUT_DIR/dict/<task>.pt          encode_lang.py: {"name", "instruction", "embeddings" [1, L, DIM]}
                                  (one bfloat16, one float32; one instruction ends in ".")
  OUT_DIR/dict/empty_lang_embed.pt  a bare [1, DIM] bfloat16 tensor, as RDT's
  OUT_DIR/batch/task_a/           encode_lang_batch.py: lang_embed_<i>.pt bare [L_i, DIM] beside
                                  expanded_instruction_gpt-4-turbo.json
  OUT_DIR/bare/orphan.pt          a bare tensor nothing names (an error to read)
  OUT_DIR/bad/wrong_dict.pt       a dict without "embeddings" (an error to read)
  OUT_DIR/expected.safetensors    every tensor above by name, for the comparison
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rdt_reference as ref  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    out, dim = sys.argv[1], int(sys.argv[2])
    gen = torch.Generator().manual_seed(7)
    expected = {}
    os.makedirs(os.path.join(out, "dict"), exist_ok=True)
    tasks = [("pick_bowl", "pick up the black bowl and place it on the plate.", torch.bfloat16, 9),
             ("open_drawer", "open the top drawer of the cabinet", torch.float32, 6)]
    for name, instruction, dtype, length in tasks:
        emb = torch.randn(1, length, dim, generator=gen).to(dtype)
        torch.save({"name": name, "instruction": instruction, "embeddings": emb},
                   os.path.join(out, "dict", name + ".pt"))
        expected[name] = emb[0]
    empty = torch.randn(1, dim, generator=gen).to(torch.bfloat16)
    torch.save(empty, os.path.join(out, "dict", "empty_lang_embed.pt"))
    expected["empty"] = empty

    task = os.path.join(out, "batch", "task_a")
    os.makedirs(task, exist_ok=True)
    instructions = {"instruction": "stack the red block on the blue block",
                    "simplified_instruction": ["stack red on blue"],
                    "expanded_instruction": ["carefully put the red block on top of the blue one"]}
    with open(os.path.join(task, "expanded_instruction_gpt-4-turbo.json"), "w") as f:
        json.dump(instructions, f)
    for i in range(3):
        emb = torch.randn(4 + i, dim, generator=gen)
        torch.save(emb, os.path.join(task, f"lang_embed_{i}.pt"))
        expected[f"batch_{i}"] = emb

    os.makedirs(os.path.join(out, "bare"), exist_ok=True)
    torch.save(torch.randn(3, dim, generator=gen), os.path.join(out, "bare", "orphan.pt"))
    os.makedirs(os.path.join(out, "bad"), exist_ok=True)
    torch.save({"instruction": "no tensor here"}, os.path.join(out, "bad", "wrong_dict.pt"))
    ref.write_safetensors(os.path.join(out, "expected.safetensors"), expected)


if __name__ == "__main__":
    main()
