//! Reading order of the regions Tesseract found on a page.
//!
//! Tesseract reads a page column by column, its blocks in the order its column finder made
//! them. Two things it gets wrong are put right here, and otherwise its order is kept:
//!
//! - Blocks that stand in rows. A question beside its answers, a key beside its value: Tesseract
//!   makes each a block and reads the keys' column before the values' column. The blocks are
//!   therefore ordered by a recursive XY cut (Nagy and Seth, 1984): a set of blocks is cut along
//!   the bands of white space that run across all of it, into rows (top to bottom) or columns
//!   (left to right), and each part is ordered the same way. Where both are open, it is cut into
//!   rows only when at least two rows hold blocks on both sides of the widest column gap; a
//!   column that merely starts higher than its neighbour is read as a column. A band never
//!   crosses a block, so a column Tesseract made one block is never cut into rows, and blocks
//!   that no band separates keep Tesseract's order.
//! - Margin labels. A short label set apart in the margin (a case number beside its title,
//!   "Vedtak:" above a decision) becomes a block of its own, which Tesseract reads first, pages of
//!   text away from what it labels. Labels take no part in the XY cut (a column of them beside
//!   the text would be read as a column); each is then put back where it sits: just before the
//!   first region, in the order found, that lies on the label's row or below it and is not
//!   wholly to its left (a region in an earlier column); or, where a block of one line wholly
//!   to its left stands on the label's own row (a running header's title and its right-hand
//!   label), just after that line.

/// A region's box, deskewed, in image pixels (x right, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Region {
    pub l: f32,
    pub t: f32,
    pub r: f32,
    pub b: f32,
}

impl Region {
    fn union(&self, o: &Region) -> Region {
        Region {
            l: self.l.min(o.l),
            t: self.t.min(o.t),
            r: self.r.max(o.r),
            b: self.b.max(o.b),
        }
    }
}

/// The order in which to read `regions` (given in Tesseract's order). `unit[i]` names the block
/// region `i` belongs to (regions of one block stay together, in Tesseract's order); `label[i]`
/// marks the regions that are margin labels. The blocks other than labels are ordered by the XY
/// cut, then the labels are put back.
pub fn reading_order(regions: &[Region], unit: &[usize], label: &[bool]) -> Vec<usize> {
    // The blocks, in the order of their first region, with their boxes; each region's block.
    let mut blocks: Vec<(usize, Region)> = Vec::new();
    let mut block_of = vec![0; regions.len()];
    for (i, region) in regions.iter().enumerate().filter(|&(i, _)| !label[i]) {
        block_of[i] = match blocks.iter().position(|(u, _)| *u == unit[i]) {
            Some(b) => {
                blocks[b].1 = blocks[b].1.union(region);
                b
            }
            None => {
                blocks.push((unit[i], *region));
                blocks.len() - 1
            }
        };
    }
    let boxes: Vec<Region> = blocks.iter().map(|b| b.1).collect();
    let mut groups = Vec::new();
    if !blocks.is_empty() {
        xy_cut((0..blocks.len()).collect(), &boxes, &mut groups);
    }
    // Each block's place in the reading order; a block's regions keep Tesseract's order.
    let mut rank = vec![0; blocks.len()];
    for (g, group) in groups.iter().enumerate() {
        for &b in group {
            rank[b] = g;
        }
    }
    let mut order: Vec<usize> = (0..regions.len()).filter(|&i| !label[i]).collect();
    order.sort_by_key(|&i| rank[block_of[i]]);
    place_labels(regions, order, unit, label)
}

/// Orders `set` (block indices in Tesseract's order) by cutting it along the white bands that
/// run across all of it (see the module comment for which direction is taken) and recursing
/// into the parts; appends the sets that cannot be cut to `out`, in reading order.
fn xy_cut(set: Vec<usize>, boxes: &[Region], out: &mut Vec<Vec<usize>>) {
    if set.len() < 2 {
        out.push(set);
        return;
    }
    let rows = valleys(&set, boxes, |r| (r.t, r.b));
    let columns = valleys(&set, boxes, |r| (r.l, r.r));
    if rows.is_empty() && columns.is_empty() {
        out.push(set);
        return;
    }
    let row_parts = || split(&set, boxes, &rows, |r| r.b);
    let column_parts = || split(&set, boxes, &columns, |r| r.r);
    let parts = match (rows.is_empty(), columns.is_empty()) {
        (false, true) => row_parts(),
        (true, _) => column_parts(),
        // Both ways are open: rows only when at least two of them hold blocks on both sides of
        // the widest column gap. A column that starts higher than its neighbour leaves a band
        // across the page too, but only its own blocks lie above it.
        (false, false) => {
            let gutter = columns
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map_or(0.0, |v| v.1);
            let parts = row_parts();
            let straddling = parts
                .iter()
                .filter(|part| {
                    part.iter().any(|&b| boxes[b].r < gutter)
                        && part.iter().any(|&b| boxes[b].l > gutter)
                })
                .count();
            if straddling >= 2 {
                parts
            } else {
                column_parts()
            }
        }
    };
    for part in parts {
        xy_cut(part, boxes, out);
    }
}

/// The white bands across `set` along one axis, as (width, middle), in order; `extent` gives a
/// box's start and end on that axis.
fn valleys(
    set: &[usize],
    boxes: &[Region],
    extent: impl Fn(&Region) -> (f32, f32),
) -> Vec<(f32, f32)> {
    let mut spans: Vec<(f32, f32)> = set.iter().map(|&b| extent(&boxes[b])).collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut found = Vec::new();
    let mut end = spans[0].1;
    for &(start, stop) in &spans[1..] {
        if start > end {
            found.push((start - end, (start + end) / 2.0));
        }
        end = end.max(stop);
    }
    found
}

/// `set` split at the middles of `bands`, each part in Tesseract's order; `end` gives a box's
/// end on the axis (no box crosses a band, so a box ends before a band's middle or starts after).
fn split(
    set: &[usize],
    boxes: &[Region],
    bands: &[(f32, f32)],
    end: impl Fn(&Region) -> f32,
) -> Vec<Vec<usize>> {
    let mut parts = vec![Vec::new(); bands.len() + 1];
    for &b in set {
        let k = bands.iter().filter(|v| v.1 < end(&boxes[b])).count();
        parts[k].push(b);
    }
    parts
}

/// `order` (the regions other than labels) with the margin labels put back where they sit.
fn place_labels(
    regions: &[Region],
    mut order: Vec<usize>,
    unit: &[usize],
    label: &[bool],
) -> Vec<usize> {
    for i in (0..regions.len()).filter(|&i| label[i]) {
        let me = &regions[i];
        let height = me.b - me.t;
        // A line wholly to the left on the label's own row (a running header's title beside its
        // right-hand label): the label is read right after it.
        let beside = order.iter().rposition(|&j| {
            // The whole block of the line, so that a line of a column beside the label is not
            // taken for one.
            let other = (0..regions.len())
                .filter(|&k| unit[k] == unit[j] && !label[k])
                .fold(regions[j], |a, k| a.union(&regions[k]));
            other.r < me.l && other.t >= me.t - height && other.b <= me.b + height
        });
        let at = beside.map(|k| k + 1).or_else(|| {
            order.iter().position(|&j| {
                let other = &regions[j];
                (other.t + other.b) / 2.0 > me.t && other.r >= me.l
            })
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
        assert_eq!(
            reading_order(&regions, &[0, 1, 2, 3, 4], &label),
            vec![2, 1, 3, 0, 4]
        );
    }

    #[test]
    fn a_label_at_the_right_of_a_heading_line_is_read_after_that_line() {
        // A running header: its title at the left, a label at the right margin, then text that
        // does not reach the label's column.
        let regions = [
            r(115.0, 130.0, 700.0, 150.0),  // "Nasjonalt utvalg fag- og arkitektur"
            r(973.0, 130.0, 1100.0, 150.0), // "Møteinnkalling"
            r(115.0, 220.0, 900.0, 240.0),  // "Fra: ..."
        ];
        let label = [false, true, false];
        assert_eq!(reading_order(&regions, &[0, 1, 2], &label), vec![0, 1, 2]);
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
        assert_eq!(
            reading_order(&regions, &[0, 1, 2, 3], &label),
            vec![0, 1, 3, 2]
        );
    }

    #[test]
    fn questions_beside_their_answers_are_read_row_by_row() {
        // A title over a question column and an answer column; each question is a block set
        // beside the middle of its answers' block. Tesseract reads the questions' column first.
        let regions = [
            r(667.0, 412.0, 975.0, 424.0),    // title across both columns
            r(670.0, 611.0, 826.0, 658.0),    // question 1
            r(668.0, 894.0, 825.0, 941.0),    // question 2
            r(668.0, 1149.0, 824.0, 1196.0),  // question 3
            r(911.0, 488.0, 1091.0, 755.0),   // answers 1
            r(909.0, 798.0, 1088.0, 1010.0),  // answers 2
            r(908.0, 1053.0, 1090.0, 1265.0), // answers 3
        ];
        let no_labels = [false; 7];
        assert_eq!(
            reading_order(&regions, &[0, 1, 2, 3, 4, 5, 6], &no_labels),
            vec![0, 1, 4, 2, 5, 3, 6]
        );
    }

    #[test]
    fn a_column_that_starts_higher_is_not_cut_into_rows() {
        // The right column's first paragraph lies above the left column's top: a white band
        // runs across the page under it, but the columns are read one after the other.
        let regions = [
            r(538.0, 320.0, 1073.0, 363.0), // right column, first paragraph
            r(537.0, 399.0, 1098.0, 489.0), // right column, second paragraph
            r(165.0, 422.0, 525.0, 1014.0), // left column, one block
            r(537.0, 525.0, 1118.0, 615.0), // right column, third paragraph
        ];
        let no_labels = [false; 4];
        assert_eq!(
            reading_order(&regions, &[0, 1, 2, 3], &no_labels),
            vec![2, 0, 1, 3]
        );
    }

    #[test]
    fn the_lines_of_one_block_keep_tesseracts_order() {
        let regions = [r(320.0, 100.0, 550.0, 112.0), r(50.0, 100.0, 280.0, 112.0)];
        assert_eq!(
            reading_order(&regions, &[0, 0], &[false, false]),
            vec![0, 1]
        );
    }

    #[test]
    fn blocks_that_cannot_be_separated_keep_tesseracts_order() {
        // Each block reaches into the other's rows and columns: no band runs between them.
        let regions = [r(300.0, 100.0, 600.0, 300.0), r(50.0, 250.0, 350.0, 400.0)];
        assert_eq!(
            reading_order(&regions, &[0, 1], &[false, false]),
            vec![0, 1]
        );
    }
}
