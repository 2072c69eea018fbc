//! The bar chart of meetings and cases per year, drawn by plotters as SVG.
//!
//! The two series differ in more than colour: meetings are solid bars, cases hollow bars with a
//! thick outline, each bar carries its number, and the legend names both. Plotters escapes the
//! text it writes into the SVG.

use plotters::prelude::*;

/// One year's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct YearCount {
    pub year: i32,
    pub meetings: usize,
    pub cases: usize,
}

const MEETINGS: RGBColor = RGBColor(0x1f, 0x5f, 0x9f);
const CASES: RGBColor = RGBColor(0xb3, 0x58, 0x06);

/// The chart as an SVG document (to put inline in a page), or None when there is no year.
pub fn per_year(counts: &[YearCount], caption: &str) -> Result<Option<String>, String> {
    let (Some(first), Some(last)) = (counts.first(), counts.last()) else {
        return Ok(None);
    };
    let max = counts
        .iter()
        .map(|c| c.meetings.max(c.cases))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    // Wide enough that a year's two bars and their numbers stay readable with many years.
    let width = (160 + 70 * counts.len()).clamp(420, 1600) as u32;
    let mut svg = String::new();
    draw(
        &mut svg,
        (width, 300),
        counts,
        caption,
        first.year,
        last.year,
        max,
    )
    .map_err(|e| format!("drawing the chart {caption:?}: {e}"))?;
    Ok(Some(svg))
}

fn draw(
    svg: &mut String,
    size: (u32, u32),
    counts: &[YearCount],
    caption: &str,
    first: i32,
    last: i32,
    max: f64,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 18))
        .margin(12)
        .x_label_area_size(32)
        .y_label_area_size(44)
        .build_cartesian_2d(
            (first as f64 - 0.6)..(last as f64 + 0.6),
            0f64..(max * 1.2).ceil(),
        )?;
    let years = (last - first + 1) as usize;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(years + 2)
        // Only whole years are labelled: plotters may place key points between them.
        .x_label_formatter(&|x| {
            if (x - x.round()).abs() < 1e-6 {
                format!("{}", x.round() as i64)
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| {
            if (y - y.round()).abs() < 1e-6 {
                format!("{}", y.round() as i64)
            } else {
                String::new()
            }
        })
        .y_desc("count")
        .draw()?;
    let label_style = ("sans-serif", 13).into_font().color(&BLACK);
    chart
        .draw_series(counts.iter().map(|c| {
            let x = c.year as f64;
            Rectangle::new(
                [(x - 0.38, 0.0), (x - 0.02, c.meetings as f64)],
                MEETINGS.filled(),
            )
        }))?
        .label("meetings (solid)")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], MEETINGS.filled()));
    chart
        .draw_series(counts.iter().map(|c| {
            let x = c.year as f64;
            Rectangle::new(
                [(x + 0.02, 0.0), (x + 0.38, c.cases as f64)],
                CASES.stroke_width(3),
            )
        }))?
        .label("cases (outlined)")
        .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], CASES.stroke_width(3)));
    for c in counts {
        let x = c.year as f64;
        for (dx, n) in [(-0.3, c.meetings), (0.1, c.cases)] {
            chart.draw_series(std::iter::once(Text::new(
                n.to_string(),
                (x + dx, n as f64 + max * 0.1),
                label_style.clone(),
            )))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_is_an_svg_with_both_series_their_numbers_and_escaped_text() {
        let counts = [
            YearCount {
                year: 2021,
                meetings: 3,
                cases: 17,
            },
            YearCount {
                year: 2022,
                meetings: 5,
                cases: 29,
            },
        ];
        let svg = per_year(&counts, "<b> & co").unwrap().unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("&lt;b&gt; &amp; co"));
        assert!(!svg.contains("<b>"));
        // The text of every <text> element (plotters puts it on a line of its own).
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split('<').next()?.trim()))
            .collect();
        for text in [
            "meetings (solid)",
            "cases (outlined)",
            "17",
            "29",
            "3",
            "5",
            "2021",
        ] {
            assert!(texts.contains(&text), "{text} missing in {texts:?}");
        }
        assert_eq!(per_year(&[], "none").unwrap(), None);
    }
}
