"""ANPR reads: where a car's track passes a camera, in the camera's direction of travel.

A camera reads a vehicle when a moving stretch of the vehicle's track passes within
60 m of it (road cameras stand on the road the tracks follow) or 250 m (town cameras, which
straight-line town moves only pass near), heading within 45 degrees of the camera's
direction. The read time is the moment of closest approach (plus 0-2 s). Cameras miss about
one read in twelve (dirty plates, a lorry in the way), and a camera that read a car does
not read it again within five minutes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from linesight_ingest.samples.monza.tracks import Track
from linesight_ingest.samples.monza.world import Camera, to_xy

CAPTURE = 0.92


@dataclass(frozen=True)
class Read:
    t: float
    vrm: str
    camera: Camera
    confidence: float


def passes(track: Track, cameras: list[Camera]) -> list[tuple[float, int]]:
    """(time, camera index) for every pass of ``track`` by a camera, in time order."""
    x, y = to_xy(track.lat, track.lon)
    x0, y0, x1, y1 = x[:-1], y[:-1], x[1:], y[1:]
    vx, vy = x1 - x0, y1 - y0
    length2 = vx * vx + vy * vy
    moving = length2 > 25.0
    heading = np.degrees(np.arctan2(vx, vy)) % 360.0
    out: list[tuple[float, int]] = []
    for k, cam in enumerate(cameras):
        cx, cy = to_xy(cam.lat, cam.lon)
        u = np.clip(((cx - x0) * vx + (cy - y0) * vy) / np.where(moving, length2, 1.0), 0, 1)
        d = np.hypot(x0 + u * vx - cx, y0 + u * vy - cy)
        turn = np.abs((heading - cam.bearing + 180.0) % 360.0 - 180.0)
        radius = 60.0 if cam.on_road else 250.0
        hit = np.nonzero(moving & (d <= radius) & (turn <= 45.0))[0]
        when = track.t[:-1][hit] + u[hit] * (track.t[1:][hit] - track.t[:-1][hit])
        last = -1e18
        for t in sorted(when.tolist()):
            if t - last >= 300:
                out.append((t, k))
                last = t
    return sorted(out)


def reads_for(vrm: str, track: Track, cameras: list[Camera], rnd: random.Random) -> list[Read]:
    reads = []
    for t, k in passes(track, cameras):
        if rnd.random() < CAPTURE:
            reads.append(Read(t + rnd.uniform(0, 2), vrm, cameras[k],
                              round(rnd.uniform(0.72, 0.99), 2)))
    return reads
