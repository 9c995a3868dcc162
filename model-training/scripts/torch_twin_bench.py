#!/usr/bin/env python3
"""Training images/s of a PyTorch eager twin of the embedded default's CemiFace training step, for docs/benchmarks.md.

The twin is the same computation as `bin/cemiface bench-train --config conf/local.conf` times: the tiny UNet (32 px,
32 channels, mult (1, 2, 2), one residual block per level, attention at 8x8 with cross-attention on the identity and
similarity tokens, the m-scaled identity and the similarity terms in the time embedding), epsilon- or
v-prediction, the frozen tiny IResNet encoder on x0 (no gradient) and on the clipped x0-hat (gradient to the UNet),
the CemiFace loss (epsilon- or v-space MSE), AdamW and an EMA update. Layers come from the parity-fixture script's
ADM and IResNet definitions. Data are random tensors: the benchmark times compute, not decoding.

    /usr/bin/python3 model-training/scripts/torch_twin_bench.py [--threads 2] [--batch 16] [--steps 60]

Needs Debian's python3-torch (apt-get install python3-torch).
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "pipeline-core", "src", "test", "fixtures"))
from make_fixtures import SmallIR, SmallUNet  # noqa: E402


class CemiFaceTwin(nn.Module):
    def __init__(self, identity_dim=128):
        super().__init__()
        self.unet = SmallUNet(size=32, mc=32, mult=(1, 2, 2), attn_ds=(4,), head_ch=32, out_ch=3)
        emb, att = 4 * 32, 64
        self.sim_embed = nn.Linear(1, identity_dim)
        self.kv_proj = nn.Linear(identity_dim, 2 * att)
        self.id_time = nn.Linear(identity_dim, emb)
        self.sim_time = nn.Linear(identity_dim, emb)

    def forward(self, x, t, identity, m):
        sim = self.sim_embed(m[:, None])
        scaled = identity * m[:, None]
        kv = self.kv_proj(torch.stack([scaled, sim], 1)).transpose(1, 2)
        extra = self.id_time(scaled) + self.sim_time(nn.functional.silu(sim))
        return self.unet(x, t, kv, extra)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--steps", type=int, default=60)
    p.add_argument("--warmup", type=int, default=10)
    p.add_argument("--prediction", choices=["epsilon", "v"], default="epsilon")
    p.add_argument("--mse-space", choices=["epsilon", "v"], default="epsilon")
    p.add_argument("--lam", type=float, default=0.05)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = CemiFaceTwin()
    ema = CemiFaceTwin()
    ema.load_state_dict(model.state_dict())
    encoder = SmallIR(units=(1, 1, 1, 1), widths=(16, 32, 64, 128), stem=16, emb=128, size=32).eval()
    for q in encoder.parameters():
        q.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
    betas = torch.linspace(1e-4, 0.02, 1000)
    abar = torch.cumprod(1 - betas, 0)
    x0 = torch.rand(a.batch, 3, 32, 32) * 2 - 1
    done, start = 0, None
    for step in range(a.warmup + a.steps):
        if step == a.warmup:
            start = time.perf_counter()
        t = torch.randint(0, 1000, (a.batch,))
        m = torch.rand(a.batch) * 2 - 1
        eps = torch.randn_like(x0)
        ab = abar[t][:, None, None, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        with torch.no_grad():
            identity = encoder(x0)[0]
        out = model(xt, t, identity, m)
        eps_hat = out if a.prediction == "epsilon" else ab.sqrt() * out + (1 - ab).sqrt() * xt
        x0_hat = ((xt - (1 - ab).sqrt() * eps_hat) / ab.sqrt()).clamp(-1, 1)
        s = (encoder(x0_hat)[0] * identity).sum(1)
        g = t.float() / 1000
        err = (eps_hat - eps) ** 2
        mse = (err if a.mse_space == "epsilon" else err / ab).mean()
        loss = mse + a.lam * ((1 - g) * (1 - s).abs() + g * (m - s).abs()).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(0.999).add_(pm, alpha=0.001)
        if start is not None:
            done += a.batch
    seconds = time.perf_counter() - start
    print(f"PyTorch {torch.__version__} eager, {a.threads} threads, batch {a.batch}: {done / seconds:.2f} images/s "
          f"({a.steps / seconds:.2f} steps/s over {a.steps} steps)")


if __name__ == "__main__":
    main()
