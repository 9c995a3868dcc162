#!/usr/bin/env python3
"""Trains the PyTorch eager twin of the embedded default's tiny UNet on rendered faces with the diffusion loss alone
(lambda = 0), then draws DDIM samples: a reference for docs/training.md that separates what the recipe does from what
the Java trainer does. Same network (the twin of torch_twin_bench.py, ADM's zero-initialised output convolutions),
v-prediction, batch 16, AdamW at 1e-3 with 100 warm-up steps, gradient clipping at 1, the EMA with DCFace's warm-up
(1 + n) / (10 + n), the linear 1e-4..0.02 schedule over 1,000 steps, 20 DDIM steps at eta = 0, m = 0. The identity
condition comes from a randomly initialised tiny IResNet (the diffusion loss alone does not need a trained one).

    bin/cemiface render-identities --config conf/local.conf --set render.identities=8000 \
        --set render.images-per-identity=1 --set render.first-identity=300000 --set render.output=unet-faces
    /usr/bin/python3 model-training/scripts/torch_twin_train.py --data work/local/unet-faces --out /tmp/twin \
        --weighting min-snr

--weighting: v (mean (v-hat - v)^2, the embedded default until 2026-12-03), min-snr (the x0 error weighted by
min(SNR_t, gamma), Hang et al. 2023) or v-capped (the v error weighted by min(1, gamma / (SNR_t + 1)): v's weight at
large t, capped at small t). --t-sampling logit-normal draws t/T as sigmoid of a standard normal (SD3's) instead of
uniformly. Writes samples-ema.png and samples-raw.png (4 x 8 samples, the EMA and the raw weights).
Needs Debian's python3-torch and python3-pil.
"""
import argparse
import glob
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "pipeline-core", "src", "test", "fixtures"))
from make_fixtures import SmallIR  # noqa: E402
from torch_twin_bench import CemiFaceTwin  # noqa: E402

T = 1000


def zero_init(model):
    """ADM zero-initialises every residual branch's last convolution, attention's projection and the output."""
    for mod in model.modules():
        if hasattr(mod, "out_layers"):
            nn.init.zeros_(mod.out_layers[3].weight)
            nn.init.zeros_(mod.out_layers[3].bias)
        if hasattr(mod, "proj_out"):
            nn.init.zeros_(mod.proj_out.weight)
            nn.init.zeros_(mod.proj_out.bias)
    nn.init.zeros_(model.unet.out[2].weight)
    nn.init.zeros_(model.unet.out[2].bias)


def sample_weights(weighting, gamma, snr):
    """Per-sample weight of the squared v error."""
    if weighting == "v":
        return torch.ones_like(snr)
    if weighting == "min-snr":
        return snr.clamp(max=gamma) / (snr + 1)
    return (gamma / (snr + 1)).clamp(max=1)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="an ImageFolder of 32x32 images (one directory per person)")
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--weighting", choices=["v", "min-snr", "v-capped"], default="v")
    p.add_argument("--gamma", type=float, default=5.0)
    p.add_argument("--t-sampling", choices=["uniform", "logit-normal"], default="uniform")
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    os.makedirs(a.out, exist_ok=True)
    files = sorted(glob.glob(os.path.join(a.data, "*", "*.png")))
    if not files:
        sys.exit(f"no *.png images one directory below {a.data}")
    images = np.stack([np.asarray(Image.open(f).convert("RGB")) for f in files])
    x_all = torch.tensor(images).permute(0, 3, 1, 2).float() / 127.5 - 1
    model, ema = CemiFaceTwin(), CemiFaceTwin()
    zero_init(model)
    ema.load_state_dict(model.state_dict())
    encoder = SmallIR(units=(1, 1, 1, 1), widths=(16, 32, 64, 128), stem=16, emb=128, size=32).eval()
    for q in encoder.parameters():
        q.requires_grad_(False)

    def identity(x):
        with torch.no_grad():
            e = encoder(x)[0]
        return e / e.norm(dim=1, keepdim=True)

    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=0.0)
    alpha_bar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, T, dtype=torch.float64), 0).float()
    g = torch.Generator().manual_seed(a.seed + 1)
    start, losses = time.time(), []
    for step in range(1, a.steps + 1):
        x0 = x_all[torch.randint(0, len(x_all), (a.batch,), generator=g)]
        if a.t_sampling == "uniform":
            t = torch.randint(0, T, (a.batch,), generator=g)
        else:
            t = (torch.sigmoid(torch.randn(a.batch, generator=g)) * T).long().clamp(0, T - 1)
        m = torch.rand(a.batch, generator=g) * 2 - 1
        eps = torch.randn(x0.shape, generator=g)
        ab = alpha_bar[t][:, None, None, None]
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        v = ab.sqrt() * eps - (1 - ab).sqrt() * x0
        err = ((model(xt, t, identity(x0), m) - v) ** 2).mean((1, 2, 3))
        snr = alpha_bar[t] / (1 - alpha_bar[t])
        loss = (err * sample_weights(a.weighting, a.gamma, snr)).mean()
        for group in opt.param_groups:
            group["lr"] = a.lr * min(1.0, step / 100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        decay = min((1 + step) / (10 + step), 0.9999)
        with torch.no_grad():
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.mul_(decay).add_(pm, alpha=1 - decay)
        losses.append(loss.item())
        if step % 50 == 0:
            rate = step * a.batch / (time.time() - start)
            print(f"step {step}/{a.steps} loss {np.mean(losses[-100:]):.4f} ({rate:.1f} images/s)", flush=True)

    @torch.no_grad()
    def sample(net, n=32, steps=20):
        gen = torch.Generator().manual_seed(a.seed + 5)
        cond = identity(x_all[torch.arange(n) * 37 % len(x_all)])
        x = torch.randn((n, 3, 32, 32), generator=gen)
        ts = list(range(0, T, T // steps))[::-1]
        for i, t in enumerate(ts):
            ab = alpha_bar[t]
            ab_prev = alpha_bar[ts[i + 1]] if i + 1 < len(ts) else torch.tensor(1.0)
            v = net(x, torch.full((n,), t), cond, torch.zeros(n))
            x0 = (ab.sqrt() * x - (1 - ab).sqrt() * v).clamp(-1, 1)
            e = (x - ab.sqrt() * x0) / (1 - ab).sqrt()
            x = ab_prev.sqrt() * x0 + (1 - ab_prev).sqrt() * e
        return x

    for name, net in (("ema", ema), ("raw", model)):
        s = ((sample(net).clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
        grid = s.reshape(4, 8, 32, 32, 3).transpose(0, 2, 1, 3, 4).reshape(128, 256, 3)
        Image.fromarray(grid).resize((512, 256), Image.NEAREST).save(os.path.join(a.out, f"samples-{name}.png"))
    print(f"{a.steps} steps in {time.time() - start:.0f} s; samples in {a.out}")


if __name__ == "__main__":
    main()
