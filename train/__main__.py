"""python -m train --model cnn|mlp --epochs N --seed S --out PATH [--resume]

Trains on MNIST with augmentation, checkpoints every epoch under
``checkpoints/MODEL/``, and writes the inference model (BatchNorm folded,
float16 weights, anchors for personalizing: train/anchors.py) to PATH with
its training history beside it.
"""

import argparse
import datetime
import json
import platform
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from pydigit.weights_file import MODEL_NAMES, bundled_weights_path, figures_path, save_model

from .anchors import add_anchors
from .mnist import load_mnist
from .trainer import TrainConfig, train


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m train", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=MODEL_NAMES, default="cnn")
    parser.add_argument("--epochs", type=int, default=TrainConfig.epochs)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=TrainConfig.batch_size)
    parser.add_argument("--lr", type=float, default=TrainConfig.max_lr, help="peak learning rate")
    parser.add_argument("--flagged-ones", type=float, default=TrainConfig.flagged_ones,
                        help="fraction of the '1's also drawn with a flag, as much of the world writes them")
    parser.add_argument("--crossed-sevens", type=float, default=TrainConfig.crossed_sevens,
                        help="fraction of the '7's also drawn with a bar across the stem")
    parser.add_argument("--out", type=Path, help="weights file (default: the bundled one)")
    parser.add_argument("--checkpoints", type=Path, help="default: checkpoints/MODEL")
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    parser.add_argument("--data", help="directory with the four MNIST .gz files")
    parser.add_argument("--limit", type=int, help="train on the first N images only (for tests)")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    config = TrainConfig(model=args.model, epochs=args.epochs, seed=args.seed,
                         batch_size=args.batch_size, max_lr=args.lr,
                         flagged_ones=args.flagged_ones, crossed_sevens=args.crossed_sevens)
    out = args.out or bundled_weights_path(args.model)
    checkpoint_dir = args.checkpoints or Path("checkpoints") / args.model
    train_images, train_labels = load_mnist("train", args.data)
    test_data = load_mnist("test", args.data)
    if args.limit:
        train_images, train_labels = train_images[:args.limit], train_labels[:args.limit]
        test_data = (test_data[0][:args.limit], test_data[1][:args.limit])

    started = time.perf_counter()
    model, history = train(config, (train_images, train_labels), test_data, checkpoint_dir,
                           resume=args.resume, progress=not args.no_progress)
    exported = model.for_inference()
    exported.meta = {
        "name": args.model,
        "multiply_adds": exported.multiply_adds(),
        "parameters": exported.num_parameters(),
        "training": {
            **asdict(config), "train_images": len(train_images),
            "seconds_this_run": round(time.perf_counter() - started),
            "seconds_all_epochs": round(sum(h["seconds"] for h in history)),
            "final_test_accuracy": history[-1]["test_accuracy"],
            "numpy": np.__version__, "python": platform.python_version(),
            "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
            "date": datetime.date.today().isoformat(),
        },
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    save_model(exported, out)
    add_anchors(out, train_images, train_labels)
    figures_path(out, "history").write_text(json.dumps(history, indent=1))
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KB), "
          f"{exported.multiply_adds():,} multiply-adds, "
          f"test accuracy {history[-1]['test_accuracy']:.4f}")


if __name__ == "__main__":
    main()
