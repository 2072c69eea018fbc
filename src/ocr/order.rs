//! Reading order of the regions Tesseract found on a page.
//!
//! Tesseract's block order is kept: it finds columns and reads them one after the other. What it
//! gets wrong is the short label set apart in the margin (a case number beside its title,
//! "Vedtak:" above a decision): such a label becomes a block of its own, and Tesseract reads these
//! blocks first, pages of text away from what they label. A label is therefore put back where it
//! sits: just before the first region, in Tesseract's order, that lies on the label's row or
//! below it and is not wholly to its left (a region in an earlier column).

/// A region's box, deskewed, in image pixels (x right, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub l: f32,
    pub t: f32,
    pub r: f32,
    pub b: f32,
}

/// The order in which to read `regions` (given in Tesseract's order); `label[i]` marks the regions
/// that are margin labels.
pub fn reading_order(regions: &[Region], label: &[bool]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..regions.len()).filter(|&i| !label[i]).collect();
    for i in (0..regions.len()).filter(|&i| label[i]) {
        let me = &regions[i];
        let at = order.iter().position(|&j| {
            let other = &regions[j];
            (other.t + other.b) / 2.0 > me.t && other.r >= me.l
        });
        match at {
            Some(k) => order.insert(k, i),
            None => order.push(i),
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(l: f32, t: f32, r: f32, b: f32) -> Region {
        Region { l, t, r, b }
    }

    #[test]
    fn margin_labels_are_read_where_they_sit_not_first() {
        // Tesseract's order: the two labels first, then the text.
        let regions = [
            r(60.0, 236.0, 84.0, 244.0),   // "12/34" beside a title
            r(102.0, 187.0, 136.0, 195.0), // "Vedtak:"
            r(138.0, 60.0, 500.0, 86.0),   // paragraph
            r(103.0, 204.0, 309.0, 214.0), // decision text
            r(103.0, 236.0, 423.0, 247.0), // title
        ];
        let label = [true, true, false, false, false];
        assert_eq!(reading_order(&regions, &label), vec![2, 1, 3, 0, 4]);
    }

    #[test]
    fn a_label_in_the_second_column_stays_in_that_column() {
        let regions = [
            r(50.0, 100.0, 280.0, 400.0),  // left column
            r(320.0, 100.0, 550.0, 200.0), // right column, first paragraph
            r(320.0, 230.0, 550.0, 400.0), // right column, second paragraph
            r(320.0, 212.0, 380.0, 224.0), // label above the second paragraph
        ];
        let label = [false, false, false, true];
        assert_eq!(reading_order(&regions, &label), vec![0, 1, 3, 2]);
    }

    #[test]
    fn without_labels_tesseracts_order_is_kept() {
        let regions = [r(320.0, 100.0, 550.0, 112.0), r(50.0, 100.0, 280.0, 112.0)];
        assert_eq!(reading_order(&regions, &[false, false]), vec![0, 1]);
    }
}
