"""PyTorch reference for `npm run bench`: the same models, optimiser, batch size and data layout.

Prints one JSON object. Tries each thread count and keeps the fastest (on these machines more torch
threads can be slower: OpenBLAS already uses the cores). Run with Debian's python3-torch.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn

BATCH = 128


def mlp():
    return nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))


def lenet():
    # Same shape as the TensorFlow.js model: 5x5 'same' convolutions, 2x2 max pooling, dense 120-84-10.
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )


def mnist(directory, count):
    """The first `count` MNIST training images (IDX: 16-byte header for images, 8 for labels)."""
    with open(f"{directory}/train-images-idx3-ubyte", "rb") as f:
        images = np.frombuffer(f.read(), dtype=np.uint8, offset=16)[: count * 784]
    with open(f"{directory}/train-labels-idx1-ubyte", "rb") as f:
        labels = np.frombuffer(f.read(), dtype=np.uint8, offset=8)[:count]
    x = torch.from_numpy(images.astype(np.float32).reshape(count, 784) / 255)
    return x, torch.from_numpy(labels.astype(np.int64))


def train_throughput(build, steps, x, y):
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step(i):
        s = (i * BATCH) % (x.shape[0] - BATCH)
        opt.zero_grad()
        loss = loss_fn(model(x[s:s + BATCH]), y[s:s + BATCH])
        loss.backward()
        opt.step()

    for i in range(3):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(i)
    return steps * BATCH / (time.perf_counter() - start)


def matmul_gflops(repeats=20):
    a = torch.randn(128, 1024)
    b = torch.randn(1024, 1024)
    for _ in range(3):
        a @ b
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * 128 * 1024 * 1024 * repeats / (time.perf_counter() - start) / 1e9


def main():
    steps = {"mlp": int(sys.argv[1]), "lenet": int(sys.argv[2])}
    x, y = mnist(sys.argv[3], 8192)
    builders = {"mlp": mlp, "lenet": lenet}
    result = {"torch_version": torch.__version__, "models": {}, "matmul_gflops": 0.0}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        gflops = matmul_gflops()
        if gflops > result["matmul_gflops"]:
            result["matmul_gflops"], result["matmul_threads"] = gflops, threads
        for name, build in builders.items():
            rate = train_throughput(build, steps[name], x, y)
            best = result["models"].get(name)
            if best is None or rate > best["samples_per_s"]:
                result["models"][name] = {"samples_per_s": rate, "threads": threads}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
