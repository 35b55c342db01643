"""
Fits the smile head (npm run train -- smile runs this after extracting features with the engine).

  python tools/train/smile.py --train train.jsonl [--dev dev.jsonl] --out smile-head.json

Input lines come from tools/train/face-features.ts; the smile net's probabilities (out-of-fold
for the training lines, from tools/train/smile_net.py) are one more feature block. The head is an L2-regularised logistic
regression on standardised features; the feature blocks, the L2 strength and the decision
threshold are chosen by 5-fold cross-validation inside the training split (seed 0); photos
without a face count as misses in every reported accuracy. Dev is only reported.
"""
import argparse, itertools, json
import numpy as np
import torch

LABELS = ['angry', 'disgust', 'fear', 'happy', 'neutral', 'sad', 'surprise']
LOG_FLOOR = 1e-4
# The trained emotion net ('smilecam') is not a block: the smile net starts from it and is
# fine-tuned for the question, and leaving it out keeps the head valid when the emotion net is retrained.
BLOCK_CHOICES = [['fer', 'face-api'], ['fer', 'face-api', 'geometry'], ['smilenet'], ['smilenet', 'geometry'], ['fer', 'face-api', 'smilenet'],
                 ['fer', 'face-api', 'smilenet', 'geometry'], ['fer', 'face-api', 'smilenet', 'lm68', 'geometry']]
L2_CHOICES = [1e-4, 1e-3, 1e-2]
THRESHOLDS = [0.3, 0.4, 0.5, 0.6, 0.7]
FOLDS = 5


def eye_aligned(points):
    """Same frame as eyeAlignedLandmarks in src/engine/tasks/smile-head.ts."""
    p = np.asarray(points, float)
    left, right = p[36:42].mean(0), p[42:48].mean(0)
    d = right - left
    span = np.hypot(*d)
    cos, sin = d / span
    u = p - (left + right) / 2
    return np.stack([cos * u[:, 0] + sin * u[:, 1], -sin * u[:, 0] + cos * u[:, 1]], 1) / span


def block(face, name):
    if name == 'smilenet':
        p = face['smilenet']
        return np.array([np.log(p + LOG_FLOOR) - np.log(1 - p + LOG_FLOOR)])
    if name in ('fer', 'face-api', 'smilecam'):
        scores = face['expressions'][name]
        return np.log(np.maximum([scores[k] for k in LABELS], 0) + LOG_FLOOR)
    a = eye_aligned(face['landmarks68'])
    if name == 'lm68':
        return a.ravel()
    width = np.hypot(*(a[54] - a[48]))
    lift = (a[62, 1] - (a[48, 1] + a[54, 1]) / 2) / width if width > 0 else 0
    return np.array([face['mar'], face['ear'], width, lift])


def load(path, smilenet_path=None):
    """Faces (None where none was found) and labels; with the smile net's per-line probabilities attached."""
    lines = [json.loads(l) for l in open(path)]
    faces = [l['face'] for l in lines]
    if smilenet_path:
        for face, p in zip(faces, json.load(open(smilenet_path))):
            if face is not None:
                face['smilenet'] = p
    return faces, np.array([l['label'] for l in lines])


def matrix(faces, blocks):
    return np.array([np.concatenate([block(f, b) for b in blocks]) for f in faces if f is not None])


def fit(x, y, l2):
    mean, scale = x.mean(0), x.std(0) + 1e-6
    xt = torch.tensor((x - mean) / scale, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.float64)
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([w, b], max_iter=300, line_search_fn='strong_wolfe')

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(xt @ w + b, yt) + l2 * (w * w).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return {'mean': mean.tolist(), 'scale': scale.tolist(), 'weights': w.detach().numpy().tolist(), 'bias': float(b.item())}


def probability(head, x):
    z = ((x - np.array(head['mean'])) / np.array(head['scale'])) @ np.array(head['weights']) + head['bias']
    return 1 / (1 + np.exp(-z))


def accuracy_with_misses(p, y_found, threshold, missed):
    """Accuracy over all photos; the `missed` photos without a face count as wrong."""
    return ((p >= threshold) == (y_found == 1)).sum() / (len(y_found) + missed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--train', required=True)
    ap.add_argument('--dev')
    ap.add_argument('--out', required=True)
    ap.add_argument('--smilenet-train', help="the smile net's out-of-fold probabilities for the training lines")
    ap.add_argument('--smilenet-dev', help="the shipped smile net's probabilities for the dev lines")
    args = ap.parse_args()
    torch.set_num_threads(1)
    faces, y = load(args.train, args.smilenet_train)
    found = np.array([f is not None for f in faces])
    yf = y[found]
    has_smilenet = all('smilenet' in f for f in faces if f is not None)
    choices = [c for c in BLOCK_CHOICES if has_smilenet or 'smilenet' not in c]
    folds = np.array_split(np.random.default_rng(0).permutation(len(yf)), FOLDS)
    print(f'smile: {len(y)} training photos, face found in {found.sum()}')
    results = []
    for blocks, l2 in itertools.product(choices, L2_CHOICES):
        x = matrix(faces, blocks)
        p = np.zeros(len(yf))
        for k in range(FOLDS):
            test = folds[k]
            train = np.concatenate([folds[j] for j in range(FOLDS) if j != k])
            p[test] = probability(fit(x[train], yf[train], l2), x[test])
        for t in THRESHOLDS:
            results.append((accuracy_with_misses(p, yf, t, (~found).sum()), blocks, l2, t))
        print(f'smile: CV {"+".join(blocks)} l2 {l2}: ' + ', '.join(f'{t}: {accuracy_with_misses(p, yf, t, (~found).sum()):.4f}' for t in THRESHOLDS), flush=True)
    best_acc, blocks, l2, threshold = max(results, key=lambda r: r[0])
    print(f'smile: chosen {"+".join(blocks)}, l2 {l2}, threshold {threshold}: CV accuracy {best_acc:.4f} (no-face photos count as misses)')
    head = {'blocks': blocks, **fit(matrix(faces, blocks), yf, l2), 'threshold': threshold, 'cv_accuracy': best_acc}
    if args.dev:
        dfaces, dy = load(args.dev, args.smilenet_dev)
        dfound = np.array([f is not None for f in dfaces])
        dp = probability(head, matrix(dfaces, blocks))
        head['dev_accuracy'] = accuracy_with_misses(dp, dy[dfound], threshold, (~dfound).sum())
        print(f'smile: dev accuracy {head["dev_accuracy"]:.4f} ({len(dy)} photos, face found in {dfound.sum()})')
    with open(args.out, 'w') as f:
        json.dump(head, f)


if __name__ == '__main__':
    main()
