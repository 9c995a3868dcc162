#!/usr/bin/env python3
"""How far an encoder spreads people: reads CSVs written by `bin/cemiface embed` (path relative to --input, then
the embedding) where the path's first folder is the person.

  embedding_spread.py PEOPLE.csv                 genuine and impostor cosine statistics of PEOPLE
  embedding_spread.py PEOPLE.csv GALLERY.csv     also: each PEOPLE image's highest cosine to a GALLERY person's
                                                 centre (mean embedding, renormalised), as the filter's gallery check

Needs numpy only (Debian's python3-numpy). docs/training.md quotes its output."""
import csv
import sys

import numpy as np


def load(path):
    rows = list(csv.reader(open(path)))
    people = np.array([r[0].split('/')[0] for r in rows])
    x = np.array([[float(v) for v in r[1:]] for r in rows])
    return people, x / np.linalg.norm(x, axis=1, keepdims=True)


def centres(people, x):
    names = sorted(set(people))
    c = np.array([x[people == n].mean(0) for n in names])
    return c / np.linalg.norm(c, axis=1, keepdims=True)


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    people, x = load(argv[1])
    s = x @ x.T
    upper = np.triu_indices(len(people), 1)
    same = (people[:, None] == people[None, :])[upper]
    impostor, genuine = s[upper][~same], s[upper][same]
    print("%d images of %d people, %d-d" % (len(people), len(set(people)), x.shape[1]))
    print("impostor pairs: mean %.3f, std %.3f, mean |cos| %.3f, p99 %.3f, above 0.3: %.1f%%" % (
        impostor.mean(), impostor.std(), np.abs(impostor).mean(), np.percentile(impostor, 99),
        100 * (impostor > 0.3).mean()))
    if len(genuine):
        print("genuine pairs: mean %.3f, std %.3f" % (genuine.mean(), genuine.std()))
    if len(argv) == 3:
        gallery = centres(*load(argv[2]))
        best = (x @ gallery.T).max(1)
        print("nearest of %d gallery people: median %.3f; above 0.7: %d, 0.8: %d, 0.85: %d of %d" % (
            len(gallery), np.median(best), (best > 0.7).sum(), (best > 0.8).sum(), (best > 0.85).sum(), len(best)))


if __name__ == "__main__":
    main(sys.argv)
