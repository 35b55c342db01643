"""
Fine-tunes the trained emotion net into the smile net (npm run train -- smile runs this after
extracting features and face crops with the engine; PyTorch at training time only).

  python tools/train/smile_net.py --init emotion-fer48.onnx --train train.jsonl --train-crops train.crops48
      [--dev dev.jsonl --dev-crops dev.crops48] --out weights.json --oof oof.json [--dev-out dev.json]

Inputs: the feature lines of tools/train/face-features.ts (label per photo, face or null) and the
48x48 grey crops beside them (one per line, zeros where no face was found). Only photos with a
face train; photos without one count as misses in every accuracy printed.
Recipe: the emotion net's layers (BN already folded, so plain conv + bias) with a new 2-way last
layer; SGD Nesterov, weight decay 5e-4, batch 64, one-cycle (peak 0.01) over 12 epochs, label
smoothing 0.1, the emotion trainer's augmentation. 5-fold cross-validation (seed 0) gives the
cross-validated accuracy and out-of-fold probabilities for the smile head (so the head learns how
far to trust the net on photos it did not train on); the shipped net trains on every fold.
Probabilities are the mean of the crop and its mirror image.
"""
import argparse, json, math, os, sys
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from emotion import INPUT_MEAN, INPUT_SCALE, b64, train_epoch  # noqa: E402
from onnx_read import read_layers  # noqa: E402

SEED = 0
FOLDS = 5
EPOCHS = 12
BATCH = 64
PEAK_LR = 0.01
SIZE = 48


class FoldedNet(nn.Module):
    """The emotion net without batch norm (folded into the convolutions), last layer replaced."""

    def __init__(self, layers, classes=2, dropout=0.4):
        super().__init__()
        features, dense = [], []
        for layer in layers:
            if layer[0] == 'conv':
                w, b = layer[1], layer[2]
                conv = nn.Conv2d(w.shape[1], w.shape[0], w.shape[2], padding=w.shape[2] // 2)
                conv.weight.data[:] = torch.from_numpy(w.copy())
                conv.bias.data[:] = torch.from_numpy(b.copy())
                features += [conv, nn.ReLU(inplace=True)]
            elif layer[0] == 'maxpool':
                features.append(nn.MaxPool2d(2))
            else:
                dense.append(layer)
        self.features = nn.Sequential(*features)
        hidden = nn.Linear(dense[0][1].shape[1], dense[0][1].shape[0])
        hidden.weight.data[:] = torch.from_numpy(dense[0][1].copy())
        hidden.bias.data[:] = torch.from_numpy(dense[0][2].copy())
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), hidden, nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(hidden.out_features, classes))

    def forward(self, x):
        return self.head(self.features(x))


def load(features_path, crops_path):
    labels, found = [], []
    for line in open(features_path):
        item = json.loads(line)
        labels.append(item['label'])
        found.append(item['face'] is not None)
    crops = np.fromfile(crops_path, dtype=np.uint8).reshape(-1, SIZE, SIZE)
    if len(crops) != len(labels):
        raise SystemExit(f'{crops_path}: {len(crops)} crops for {len(labels)} lines')
    x = (torch.from_numpy(crops).float().unsqueeze(1) - INPUT_MEAN) * INPUT_SCALE
    return x, torch.tensor(labels), np.array(found)


def train(init_layers, x, y, seed):
    torch.manual_seed(seed)
    model = FoldedNet(init_layers)
    opt = torch.optim.SGD(model.parameters(), lr=PEAK_LR, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps = EPOCHS * math.ceil(len(y) / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=PEAK_LR, total_steps=steps, pct_start=0.2)
    for _ in range(EPOCHS):
        train_epoch(model, opt, schedule, x, y, BATCH)
    return model


def smiling(model, x):
    model.eval()
    with torch.no_grad():
        out = []
        for i in range(0, len(x), 512):
            batch = x[i:i + 512]
            out.append((F.softmax(model(batch), 1)[:, 1] + F.softmax(model(torch.flip(batch, [3])), 1)[:, 1]) / 2)
        return torch.cat(out).numpy()


def accuracy(p, y, found):
    """Over all photos; those without a face are wrong."""
    return float(((p >= 0.5) == (y[found].numpy() == 1)).sum() / len(y))


def per_line(p, found):
    out, k = [], 0
    for f in found:
        out.append(float(p[k]) if f else None)
        k += f
    return out


def export(model, path, scores):
    layers = []
    for m in list(model.features) + list(model.head):
        if isinstance(m, nn.Conv2d):
            layers.append({'kind': 'conv', 'shape': list(m.weight.shape), 'weight': b64(m.weight.detach().numpy()), 'bias': b64(m.bias.detach().numpy())})
        elif isinstance(m, nn.MaxPool2d):
            layers.append({'kind': 'maxpool'})
        elif isinstance(m, nn.Linear):
            layers.append({'kind': 'dense', 'shape': list(m.weight.shape), 'weight': b64(m.weight.detach().numpy()), 'bias': b64(m.bias.detach().numpy())})
    model.eval()
    probe = torch.rand(2, 1, SIZE, SIZE, generator=torch.Generator().manual_seed(1)) * 255
    with torch.no_grad():
        expected = F.softmax(model((probe - INPUT_MEAN) * INPUT_SCALE), 1)
    with open(path, 'w') as f:
        json.dump({'input': {'size': SIZE, 'mean': INPUT_MEAN, 'scale': INPUT_SCALE}, 'labels': ['not_smiling', 'smiling'], 'layers': layers,
                   'probe': {'input': b64(probe.numpy()), 'probabilities': b64(expected.numpy())}, 'scores': scores}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--init', required=True)
    ap.add_argument('--train', required=True)
    ap.add_argument('--train-crops', required=True)
    ap.add_argument('--dev')
    ap.add_argument('--dev-crops')
    ap.add_argument('--out', required=True)
    ap.add_argument('--oof', required=True)
    ap.add_argument('--dev-out')
    ap.add_argument('--threads', type=int, default=int(os.environ.get('SMILECAM_TRAIN_THREADS', '2')), help='torch threads (SMILECAM_TRAIN_THREADS; 1 on a busy machine)')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    init = read_layers(args.init)
    x, y, found = load(args.train, args.train_crops)
    xf, yf = x[found], y[found]
    folds = np.array_split(np.random.default_rng(SEED).permutation(len(yf)), FOLDS)
    oof = np.zeros(len(yf))
    for k in range(FOLDS):
        fit = np.concatenate([folds[j] for j in range(FOLDS) if j != k])
        oof[folds[k]] = smiling(train(init, xf[fit], yf[fit], SEED + k), xf[folds[k]])
        print(f'smile net: fold {k + 1}/{FOLDS}: {float(((oof[folds[k]] >= 0.5) == (yf[folds[k]].numpy() == 1)).mean()):.4f} on its faces', flush=True)
    scores = {'cv_accuracy': accuracy(oof, y, found)}
    print(f'smile net: CV accuracy {scores["cv_accuracy"]:.4f} ({len(y)} photos, face found in {found.sum()}; no face = miss)', flush=True)
    with open(args.oof, 'w') as f:
        json.dump(per_line(oof, found), f)
    model = train(init, xf, yf, SEED)
    if args.dev:
        xd, yd, dfound = load(args.dev, args.dev_crops)
        pd = smiling(model, xd[dfound])
        scores['dev_accuracy'] = accuracy(pd, yd, dfound)
        print(f'smile net: dev accuracy {scores["dev_accuracy"]:.4f} ({len(yd)} photos, face found in {dfound.sum()})', flush=True)
        if args.dev_out:
            with open(args.dev_out, 'w') as f:
                json.dump(per_line(pd, dfound), f)
    export(model, args.out, scores)


if __name__ == '__main__':
    main()
