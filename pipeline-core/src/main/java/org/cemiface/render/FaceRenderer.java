package org.cemiface.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Line2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.util.SplittableRandom;
import org.cemiface.image.BufferedImages;
import org.cemiface.image.RgbImage;

/**
 * Draws an aligned frontal face with Java2D. Geometry is designed on a 112×112 canvas centred on
 * the face (the aligned-face convention of face-recognition datasets) and scaled to the requested
 * size, so every resolution shows the same person.
 */
public final class FaceRenderer {
  private static final double CANVAS = 112;

  private FaceRenderer() {}

  /** Renders one image of {@code id} under {@code cond} at {@code size}×{@code size}. */
  public static RgbImage render(IdentityTraits id, ImageConditions cond, int size) {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(cond.background());
      g.fillRect(0, 0, size, size);
      g.scale(size / CANVAS, size / CANVAS);
      g.translate(CANVAS / 2 + cond.shiftX(), CANVAS / 2 + 4 + cond.shiftY());
      g.rotate(Math.toRadians(cond.rollDegrees()));
      g.scale(cond.scale(), cond.scale());
      drawHead(g, id, cond);
    } finally {
      g.dispose();
    }
    RgbImage drawn = BufferedImages.fromBuffered(img);
    return Photometrics.apply(drawn, cond, new SplittableRandom(cond.noiseSeed()));
  }

  private static void drawHead(Graphics2D g, IdentityTraits id, ImageConditions c) {
    double w = id.faceHalfWidth();
    double h = id.faceHalfHeight();
    // Yaw turns the head: features slide sideways and the far cheek narrows.
    double turn = c.yaw() * w * 0.35;

    if (id.hairStyle() == IdentityTraits.HairStyle.LONG) {
      g.setColor(id.hair());
      g.fill(new RoundRectangle2D.Double(-w - 6, -h - 4, 2 * w + 12, 2 * h + 16, 30, 30));
    }
    g.setColor(shade(id.skin(), 0.9));
    double earY = -4;
    g.fill(
        new Ellipse2D.Double(
            -w - id.earSize() * 0.6 + turn * 0.5,
            earY - id.earSize(),
            id.earSize(),
            id.earSize() * 2));
    g.fill(
        new Ellipse2D.Double(
            w - id.earSize() * 0.4 + turn * 0.5,
            earY - id.earSize(),
            id.earSize(),
            id.earSize() * 2));
    g.setColor(shade(id.skin(), 0.92));
    g.fill(new Rectangle2D.Double(-w * 0.45, h * 0.6, w * 0.9, 30));

    Area face = faceShape(w, h, id.jawRatio(), turn);
    g.setColor(id.skin());
    g.fill(face);
    if (id.beard()) {
      g.setColor(blend(id.skin(), id.hair(), 0.45));
      Area beard = new Area(face);
      beard.intersect(
          new Area(new Rectangle2D.Double(-w - 10, id.mouthY() - 8, 2 * w + 20, h + 20)));
      g.fill(beard);
    }
    drawHair(g, id, w, h, turn);

    double cx = turn;
    drawEyes(g, id, c, cx);
    drawBrows(g, id, c, cx);
    drawNose(g, id, cx);
    drawMouth(g, id, c, cx);
    g.setColor(shade(id.skin(), 0.45));
    double[] moles = id.moles();
    for (int i = 0; i + 2 < moles.length; i += 3) {
      g.fill(
          new Ellipse2D.Double(
              cx + moles[i] * w / 40 - moles[i + 2] / 2,
              moles[i + 1] - moles[i + 2] / 2,
              moles[i + 2],
              moles[i + 2]));
    }
    if (c.glasses()) {
      drawGlasses(g, id, c, cx);
    }
    if (c.hat()) {
      g.setColor(c.hatColour());
      g.fill(new Arc2D.Double(-w - 4, -h - 16, 2 * w + 8, 2 * h * 0.75, 0, 180, Arc2D.CHORD));
      g.fill(new RoundRectangle2D.Double(-w - 12, -h + 0.75 * h - 18, 2 * w + 24, 7, 6, 6));
    }
  }

  private static Area faceShape(double w, double h, double jaw, double turn) {
    GeneralPath p = new GeneralPath();
    double left = -w + Math.max(0, turn) * 0.6;
    double right = w + Math.min(0, turn) * 0.6;
    p.moveTo(left, -h * 0.1);
    p.curveTo(left, -h * 1.05, right, -h * 1.05, right, -h * 0.1);
    p.curveTo(right, h * 0.55, w * jaw + turn * 0.3, h, turn * 0.4, h);
    p.curveTo(-w * jaw + turn * 0.3, h, left, h * 0.55, left, -h * 0.1);
    p.closePath();
    return new Area(p);
  }

  private static void drawHair(Graphics2D g, IdentityTraits id, double w, double h, double turn) {
    g.setColor(id.hair());
    double top = -h - 3;
    double line = id.hairline();
    switch (id.hairStyle()) {
      case BALD -> {
        g.setColor(shade(id.hair(), 1.0));
        g.fill(new Rectangle2D.Double(-w - 1, -8, 5, 12));
        g.fill(new Rectangle2D.Double(w - 4, -8, 5, 12));
      }
      case BUZZ -> {
        g.setColor(blend(id.skin(), id.hair(), 0.6));
        g.fill(new Arc2D.Double(-w, top + 2, 2 * w, 2 * (line - top) + 2, 0, 180, Arc2D.CHORD));
      }
      case SIDE_PART -> {
        GeneralPath p = new GeneralPath();
        p.moveTo(-w - 2, line + 10);
        p.curveTo(-w - 2, top - 6, w + 2, top - 6, w + 2, line + 10);
        p.quadTo(w * 0.2 + turn, line - 6, -w * 0.3 + turn, line + 2);
        p.quadTo(-w * 0.7, line + 4, -w - 2, line + 10);
        p.closePath();
        g.fill(p);
      }
      case CURLY -> {
        for (int i = 0; i < 9; i++) {
          double a = Math.PI * i / 8;
          double x = -Math.cos(a) * (w + 2);
          double y = line - Math.sin(a) * (line - top + 6);
          g.fill(new Ellipse2D.Double(x - 9, y - 9, 18, 18));
        }
        g.fill(new Arc2D.Double(-w - 2, top, 2 * w + 4, 2 * (line - top) + 6, 0, 180, Arc2D.CHORD));
      }
      default -> {
        g.fill(
            new Arc2D.Double(
                -w - 2, top - 2, 2 * w + 4, 2 * (line - top) + 8, 0, 180, Arc2D.CHORD));
        g.fill(new Rectangle2D.Double(-w - 2, line - 2, 6, 18));
        g.fill(new Rectangle2D.Double(w - 4, line - 2, 6, 18));
      }
    }
  }

  private static void drawEyes(Graphics2D g, IdentityTraits id, ImageConditions c, double cx) {
    double open = id.eyeOpen() * c.eyeOpenness();
    for (int side = -1; side <= 1; side += 2) {
      double ex = cx + side * id.eyeSpacing();
      double ey = id.eyeHeight();
      double ew = id.eyeWidth();
      double eh = Math.max(0.6, ew * open);
      g.setColor(new Color(245, 245, 240));
      g.fill(new Ellipse2D.Double(ex - ew, ey - eh / 2, 2 * ew, eh));
      g.setColor(id.iris());
      double ir = Math.min(eh, ew) * 0.55 + 0.6;
      g.fill(new Ellipse2D.Double(ex - ir + c.yaw() * 2, ey - ir, 2 * ir, 2 * ir));
      g.setColor(new Color(15, 12, 12));
      g.fill(
          new Ellipse2D.Double(ex - ir * 0.45 + c.yaw() * 2, ey - ir * 0.45, ir * 0.9, ir * 0.9));
      g.setColor(shade(id.skin(), 0.55));
      g.setStroke(new BasicStroke(1.1f));
      g.draw(new Arc2D.Double(ex - ew, ey - eh / 2, 2 * ew, eh, 0, 180, Arc2D.OPEN));
    }
  }

  private static void drawBrows(Graphics2D g, IdentityTraits id, ImageConditions c, double cx) {
    g.setColor(shade(id.hair(), 0.8));
    g.setStroke(
        new BasicStroke((float) id.browThickness(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int side = -1; side <= 1; side += 2) {
      double ex = cx + side * id.eyeSpacing();
      double y =
          id.eyeHeight() - id.eyeWidth() * id.eyeOpen() / 2 - id.browGap() - c.browRaise() * 1.5;
      double inner = y + id.browTilt() * 6;
      double outer = y - id.browTilt() * 6;
      g.draw(
          new QuadCurve2D.Double(
              ex - side * id.eyeWidth() * 1.1,
              inner,
              ex,
              y - 2,
              ex + side * id.eyeWidth() * 1.3,
              outer));
    }
  }

  private static void drawNose(Graphics2D g, IdentityTraits id, double cx) {
    double top = id.eyeHeight() + 2;
    double tip = top + id.noseLength();
    g.setColor(shade(id.skin(), 0.72));
    g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(new Line2D.Double(cx + 1.5, top, cx + 2.5, tip - 2));
    g.draw(
        new QuadCurve2D.Double(
            cx - id.noseWidth() / 2, tip - 1, cx, tip + 3, cx + id.noseWidth() / 2, tip - 1));
    g.fill(new Ellipse2D.Double(cx - id.noseWidth() / 2, tip - 2.5, 2.6, 2));
    g.fill(new Ellipse2D.Double(cx + id.noseWidth() / 2 - 2.6, tip - 2.5, 2.6, 2));
  }

  private static void drawMouth(Graphics2D g, IdentityTraits id, ImageConditions c, double cx) {
    double y = id.mouthY();
    double half = id.mouthWidth() / 2 * (1 + 0.12 * c.smile());
    double curve = 5 * c.smile();
    g.setColor(id.lips());
    GeneralPath lips = new GeneralPath();
    lips.moveTo(cx - half, y);
    lips.quadTo(cx, y - id.lipThickness() - 1 + curve * 0.3, cx + half, y);
    lips.quadTo(cx, y + id.lipThickness() + curve, cx - half, y);
    lips.closePath();
    g.fill(lips);
    g.setColor(shade(id.lips(), 0.55));
    g.setStroke(new BasicStroke(0.9f));
    g.draw(new QuadCurve2D.Double(cx - half, y, cx, y + curve * 0.6, cx + half, y));
  }

  private static void drawGlasses(Graphics2D g, IdentityTraits id, ImageConditions c, double cx) {
    g.setColor(c.glassesColour());
    g.setStroke(new BasicStroke(1.6f));
    double r = id.eyeWidth() + 3;
    for (int side = -1; side <= 1; side += 2) {
      double ex = cx + side * id.eyeSpacing();
      g.draw(new RoundRectangle2D.Double(ex - r, id.eyeHeight() - r * 0.7, 2 * r, 1.4 * r, 6, 6));
    }
    g.draw(
        new Line2D.Double(
            cx - id.eyeSpacing() + r,
            id.eyeHeight() - 1,
            cx + id.eyeSpacing() - r,
            id.eyeHeight() - 1));
  }

  static Color shade(Color c, double f) {
    return new Color(
        IdentityTraits.clamp((int) Math.round(c.getRed() * f)),
        IdentityTraits.clamp((int) Math.round(c.getGreen() * f)),
        IdentityTraits.clamp((int) Math.round(c.getBlue() * f)));
  }

  static Color blend(Color a, Color b, double t) {
    return IdentityTraits.lerp(a, b, t);
  }
}
