package dev.asyncprod.load.compare;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A line chart as inline SVG: categorical x, linear or log y, one line per series. No scripts, opens offline. */
final class SvgChart {

    private static final int WIDTH = 520;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int RIGHT = 110;
    private static final int TOP = 30;
    private static final int BOTTOM = 40;
    private static final Map<String, String> COLORS = Map.of("async", "#1f77b4", "blocking", "#d62728", "virtual", "#2ca02c",
            "virtual-loop", "#9467bd");

    private SvgChart() {
    }

    static String lines(String title, List<String> xLabels, Map<String, double[]> series, boolean logY, String yLabel) {
        double max = series.values().stream().flatMapToDouble(java.util.Arrays::stream).filter(v -> v > 0).max().orElse(1);
        double min = logY ? series.values().stream().flatMapToDouble(java.util.Arrays::stream).filter(v -> v > 0).min().orElse(0.01) : 0;
        double lo = logY ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        double hi = logY ? Math.pow(10, Math.ceil(Math.log10(max))) : max * 1.1;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>", WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x='%d' y='18' font-size='13' font-weight='bold'>%s</text>", LEFT, escape(title)));
        svg.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#999'/>", LEFT, TOP, plotW, plotH));
        // y grid and labels
        int ticks = 5;
        for (int i = 0; i <= ticks; i++) {
            double v = logY ? lo * Math.pow(hi / lo, i / (double) ticks) : lo + (hi - lo) * i / ticks;
            double y = TOP + plotH - plotH * i / (double) ticks;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#eee'/>", LEFT, LEFT + plotW, y, y));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%.1f' text-anchor='end'>%s</text>", LEFT - 5, y + 4, number(v)));
        }
        svg.append(String.format(Locale.ROOT, "<text x='12' y='%d' transform='rotate(-90 12 %d)' text-anchor='middle'>%s</text>",
                TOP + plotH / 2, TOP + plotH / 2, escape(yLabel)));
        // x labels
        int n = xLabels.size();
        for (int i = 0; i < n; i++) {
            svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>", x(i, n, plotW), TOP + plotH + 16, escape(xLabels.get(i))));
        }
        int legend = 0;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            String color = COLORS.getOrDefault(s.getKey(), "#555");
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < s.getValue().length; i++) {
                double v = s.getValue()[i];
                if (logY && v <= 0) {
                    continue;
                }
                double frac = logY ? Math.log(v / lo) / Math.log(hi / lo) : (v - lo) / (hi - lo);
                double y = TOP + plotH - plotH * frac;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(i, n, plotW), y));
                svg.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'><title>%s: %s</title></circle>",
                        x(i, n, plotW), y, color, escape(s.getKey()), number(v)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline points='%s' fill='none' stroke='%s' stroke-width='2'/>", points, color));
            int ly = TOP + 12 + 16 * legend++;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%d' y2='%d' stroke='%s' stroke-width='2'/>",
                    LEFT + plotW + 10, LEFT + plotW + 28, ly - 4, ly - 4, color));
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>", LEFT + plotW + 32, ly, escape(s.getKey())));
        }
        return svg.append("</svg>").toString();
    }

    private static double x(int i, int n, int plotW) {
        return LEFT + plotW * (i + 0.5) / n;
    }

    static String number(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
