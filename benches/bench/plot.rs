//! The benchmark's charts, drawn with plotters into SVG text: latency against rate, and
//! how long a backlog of announcements takes to drain. tests/api includes this file to
//! draw them from sample points, so a full benchmark run is not the only check.

use plotters::prelude::*;

type Drawn = Result<String, Box<dyn std::error::Error>>;

/// One measured rate: `(per second, ack p50 ms, ack p99 ms, status p99 ms)`.
pub type RatePoint = (u32, f64, f64, f64);

const SIZE: (u32, u32) = (640, 400);

/// Interaction latency (ms, log scale) against rate (per second, log scale): one point per
/// measured rate.
pub fn latency_chart(points: &[RatePoint]) -> Drawn {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption("Interaction latency against rate", ("sans-serif", 16))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((1f64..1000f64).log_scale(), (0.1f64..1000f64).log_scale())?;
        chart
            .configure_mesh()
            .x_desc("interactions per second")
            .y_desc("latency (ms, log)")
            .draw()?;
        // Name, which of the point's latencies, colour.
        let series = [
            ("ack p50", 0, RGBColor(0xff, 0x98, 0x96)),
            ("ack p99", 1, RGBColor(0xd6, 0x27, 0x28)),
            ("status p99", 2, RGBColor(0x1f, 0x77, 0xb4)),
        ];
        for (name, which, colour) in series {
            // Off-scale values sit on the axes' ends rather than vanish.
            let line: Vec<(f64, f64)> = points
                .iter()
                .map(|p| {
                    (
                        f64::from(p.0).clamp(1.0, 1000.0),
                        [p.1, p.2, p.3][which].clamp(0.1, 1000.0),
                    )
                })
                .collect();
            chart
                .draw_series(LineSeries::new(line.clone(), colour.stroke_width(2)))?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], colour.stroke_width(2))
                });
            chart.draw_series(line.into_iter().map(|p| Circle::new(p, 3, colour.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// A backlog draining: `(seconds since the tickets were resolved, tickets announced by
/// then)`, sampled as the announcements arrive, out of `backlog` resolved at once.
pub fn backlog_chart(samples: &[(f64, usize)], backlog: usize) -> Drawn {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let last = samples.iter().map(|s| s.0).fold(1.0, f64::max);
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Announcing a backlog of {backlog} resolved tickets"),
                ("sans-serif", 16),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0usize..backlog.max(1), 0f64..last * 1.05)?;
        chart
            .configure_mesh()
            .x_desc("tickets announced")
            .y_desc("seconds since the resolves")
            .draw()?;
        let colour = RGBColor(0x1f, 0x77, 0xb4);
        chart.draw_series(LineSeries::new(
            samples.iter().map(|&(secs, n)| (n.min(backlog), secs)),
            colour.stroke_width(2),
        ))?;
        root.present()?;
    }
    Ok(svg)
}

#[test]
fn both_charts_draw_their_lines_labels_and_axes_from_sample_points() {
    let points = [
        (1, 2.0, 4.5, 30.0),
        (50, 2.5, 9.0, 41.0),
        (500, 6.0, 220.0, 5000.0),
    ];
    let svg = latency_chart(&points).unwrap();
    for needle in [
        "<svg",
        "interactions per second",
        "latency (ms, log)",
        "ack p50",
        "ack p99",
        "status p99",
        "<polyline",
        "<circle",
    ] {
        assert!(svg.contains(needle), "no {needle} in:\n{svg}");
    }
    // One line per series plus its legend mark, and a marker per point.
    assert!(svg.matches("<circle").count() >= 9, "{svg}");

    let samples: Vec<(f64, usize)> = (0..=20u32)
        .map(|i| (f64::from(i) * 0.4, i as usize * 50))
        .collect();
    let svg = backlog_chart(&samples, 1000).unwrap();
    for needle in [
        "tickets announced",
        "seconds since the resolves",
        "backlog of 1000",
        "<polyline",
    ] {
        assert!(svg.contains(needle), "no {needle} in:\n{svg}");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latency.svg");
    std::fs::write(&path, latency_chart(&[]).unwrap()).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains("<svg"));
}
