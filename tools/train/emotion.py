"""
Trains the FER-2013 emotion net (npm run train -- emotion runs this; PyTorch at training time only).

  python tools/train/emotion.py --train DIR --dev DIR --out weights.json [--epochs 30 --width 16 --threads 2]

Data: DIR/<class>/*.jpg, 48x48 grey (FER-2013). Classes in the engine's order:
angry, disgust, fear, happy, neutral, sad, surprise.
Recipe: compact VGG-style net (4 blocks of 2 conv3x3+BN+ReLU, 16-32-64-128 channels, max-pool;
dropout 0.4, dense 256, dense 7), SGD Nesterov momentum 0.9, weight decay 5e-4, batch 128,
label smoothing 0.1; augmentation: random rotation +-12 deg, scale +-10 %, shift +-12 %,
horizontal flip, brightness/contrast +-20 %, one erased 10-20 px patch on half the images.
Schedule: one-cycle (peak 0.05, 20 % warm-up) over --epochs (30); the best of the last quarter
of the epochs on the validation fold is kept. Two threads: about 0.7 min per epoch at width 16 on
a quiet 2-core machine.
A stratified 10 % of the training split is held out as the validation fold: it picks the epoch
and reports the cross-validated figure; the dev set is only reported. Seeded (seed 7).
Writes the weights (BN folded into the convolutions) and a probe input/output pair as JSON; the
TypeScript side builds the ONNX graph from it and checks onnxruntime-node against the probe.
"""
import argparse, base64, json, math, os, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

LABELS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise']
SEED = 7
WIDTH = 16
BATCH = 128
PEAK_LR = 0.05
INPUT_MEAN = 128.0
INPUT_SCALE = 1 / 64


def conv_block(cin, cout):
    layers = []
    for i in range(2):
        layers += [nn.Conv2d(cin if i == 0 else cout, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]
    return layers + [nn.MaxPool2d(2)]


class EmotionNet(nn.Module):
    """48x48 grey -> 7 logits."""

    def __init__(self, w=WIDTH, dropout=0.4):
        super().__init__()
        self.features = nn.Sequential(*conv_block(1, w), *conv_block(w, 2 * w), *conv_block(2 * w, 4 * w), *conv_block(4 * w, 8 * w))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(dropout), nn.Linear(8 * w * 9, 256), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(256, 7))

    def forward(self, x):
        return self.head(self.features(x))


def load_split(root, names=None):
    """Images and labels of root/<class>/*; the relative paths go into `names` when given."""
    xs, ys = [], []
    for i, label in enumerate(LABELS):
        folder = os.path.join(root, label)
        for name in sorted(os.listdir(folder)):
            image = Image.open(os.path.join(folder, name)).convert('L')
            if image.size != (48, 48):
                image = image.resize((48, 48), Image.BILINEAR)
            xs.append(np.asarray(image, dtype=np.uint8))
            ys.append(i)
            if names is not None:
                names.append(f'{label}/{name}')
    return np.stack(xs), np.array(ys, dtype=np.int64)


def to_input(x):
    return (torch.from_numpy(x).float().unsqueeze(1) - INPUT_MEAN) * INPUT_SCALE


def augment(x):
    n = x.shape[0]
    angle = (torch.rand(n) * 2 - 1) * math.radians(12)
    scale = 1 + (torch.rand(n) * 2 - 1) * 0.1
    tx = (torch.rand(n) * 2 - 1) * 0.12
    ty = (torch.rand(n) * 2 - 1) * 0.12
    flip = torch.where(torch.rand(n) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos * flip, -sin, tx], 1), torch.stack([sin * flip, cos, ty], 1)], 1)
    x = F.grid_sample(x, F.affine_grid(theta, x.shape, align_corners=False), padding_mode='border', align_corners=False)
    x = x * (1 + (torch.rand(n, 1, 1, 1) * 2 - 1) * 0.2) + (torch.rand(n, 1, 1, 1) * 2 - 1) * 0.2
    for i in torch.nonzero(torch.rand(n) < 0.5).flatten().tolist():
        side = int(torch.randint(10, 20, (1,)))
        top, left = torch.randint(0, 48 - side, (2,)).tolist()
        x[i, :, top:top + side, left:left + side] = 0
    return x


def train_epoch(model, opt, schedule, x, y, batch):
    """One pass over (x, y) in a random order, augmented, with label smoothing 0.1."""
    model.train()
    order = torch.randperm(len(y))
    for i in range(0, len(order), batch):
        j = order[i:i + batch]
        loss = F.cross_entropy(model(augment(x[j].clone())), y[j], label_smoothing=0.1)
        opt.zero_grad()
        loss.backward()
        opt.step()
        schedule.step()


def predict(model, x, mirror=True):
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), 512):
            batch = x[i:i + 512]
            p = F.softmax(model(batch), 1)
            if mirror:
                p = (p + F.softmax(model(torch.flip(batch, [3])), 1)) / 2
            out.append(p)
    return torch.cat(out)


def b64(array):
    return base64.b64encode(np.ascontiguousarray(array, dtype='<f4').tobytes()).decode()


def export(model, path, scores):
    """Conv+BN folded into conv weight and bias; dense layers as they are; a probe pair."""
    model.eval()
    layers, mods, i = [], list(model.features), 0
    while i < len(mods):
        m = mods[i]
        if isinstance(m, nn.Conv2d):
            bn = mods[i + 1]
            s = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            layers.append({'kind': 'conv', 'shape': list(m.weight.shape), 'weight': b64((m.weight * s[:, None, None, None]).detach().numpy()), 'bias': b64((bn.bias - bn.running_mean * s).detach().numpy())})
            i += 3
        else:
            layers.append({'kind': 'maxpool'})
            i += 1
    for m in model.head:
        if isinstance(m, nn.Linear):
            layers.append({'kind': 'dense', 'shape': list(m.weight.shape), 'weight': b64(m.weight.detach().numpy()), 'bias': b64(m.bias.detach().numpy())})
    probe = torch.rand(2, 1, 48, 48, generator=torch.Generator().manual_seed(1)) * 255
    with torch.no_grad():
        expected = F.softmax(model((probe - INPUT_MEAN) * INPUT_SCALE), 1)
    with open(path, 'w') as f:
        json.dump({'input': {'size': 48, 'mean': INPUT_MEAN, 'scale': INPUT_SCALE}, 'labels': LABELS, 'layers': layers,
                   'probe': {'input': b64(probe.numpy()), 'probabilities': b64(expected.numpy())}, 'scores': scores}, f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', required=True)
    ap.add_argument('--dev')
    ap.add_argument('--out', required=True)
    ap.add_argument('--epochs', type=int, default=30, help='length of the one-cycle schedule')
    ap.add_argument('--seed', type=int, default=SEED, help='initialisation and batch order (the validation fold is always drawn with seed 7)')
    ap.add_argument('--width', type=int, default=WIDTH, help='channels of the first block (then x2, x4, x8)')
    ap.add_argument('--threads', type=int, default=int(os.environ.get('SMILECAM_TRAIN_THREADS', '2')), help='torch threads (SMILECAM_TRAIN_THREADS; 1 on a busy machine)')
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(SEED)
    names = []
    xt, yt = load_split(args.train, names)
    validation = np.zeros(len(yt), bool)
    for c in range(len(LABELS)):
        idx = np.flatnonzero(yt == c)
        rng.shuffle(idx)
        validation[idx[: len(idx) // 10]] = True
    x_fit, y_fit = to_input(xt[~validation]), torch.from_numpy(yt[~validation])
    x_val, y_val = to_input(xt[validation]), torch.from_numpy(yt[validation])
    print(f'emotion: {len(y_fit)} training images, {len(y_val)} in the validation fold; width {args.width}, {args.epochs} epochs', flush=True)
    model = EmotionNet(args.width)
    opt = torch.optim.SGD(model.parameters(), lr=PEAK_LR, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(y_fit) / BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=PEAK_LR, total_steps=args.epochs * steps_per_epoch, pct_start=0.2)
    best = (-1.0, None, 0)
    for epoch in range(args.epochs):
        started = time.time()
        train_epoch(model, opt, schedule, x_fit, y_fit, BATCH)
        acc = (predict(model, x_val).argmax(1) == y_val).float().mean().item()
        print(f'emotion: epoch {epoch + 1}/{args.epochs}: validation fold {acc:.4f} ({time.time() - started:.0f} s)', flush=True)
        # The validation fold picks the epoch (late epochs only: the schedule is still hot early on).
        if epoch + 1 >= args.epochs * 0.75 and acc >= best[0]:
            best = (acc, {k: v.clone() for k, v in model.state_dict().items()}, epoch + 1)
    if best[1] is not None:
        model.load_state_dict(best[1])
    scores = {'validation_fold': {}, 'dev': {}}
    for mirror in (False, True):
        key = 'with_mirror' if mirror else 'single'
        scores['validation_fold'][key] = (predict(model, x_val, mirror).argmax(1) == y_val).float().mean().item()
        if args.dev:
            xd, yd = load_split(args.dev)
            scores['dev'][key] = (predict(model, to_input(xd), mirror).argmax(1) == torch.from_numpy(yd)).float().mean().item()
    print('emotion: ' + json.dumps(scores), flush=True)
    # The fold's files, so the ensemble of the engine's nets can be chosen on the same images.
    scores['validation_files'] = [n for n, v in zip(names, validation) if v]
    export(model, args.out, scores)


if __name__ == '__main__':
    main()
