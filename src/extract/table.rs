//! Tables of untagged pages from their ruling lines: horizontal and vertical rules that cross
//! each other form a grid, and each block goes to the grid cell holding its centre.

use super::model::{Block, BlockRole, Rect, Table};

const TOL: f32 = 2.0;

#[derive(Clone, Copy)]
struct Seg {
    r: Rect,
    horizontal: bool,
}

fn touches(a: &Seg, b: &Seg) -> bool {
    a.r.x0 <= b.r.x1 + TOL
        && b.r.x0 <= a.r.x1 + TOL
        && a.r.y0 <= b.r.y1 + TOL
        && b.r.y0 <= a.r.y1 + TOL
}

/// Distinct positions, merged within the tolerance.
fn positions(mut v: Vec<f32>) -> Vec<f32> {
    v.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for x in v {
        if out.last().is_none_or(|l| x - l > TOL) {
            out.push(x);
        }
    }
    out
}

/// Finds ruled tables on a page and marks the blocks inside them as cells.
pub fn tables_from_rules(rules: &[Rect], blocks: &mut [Block], tables: &mut Vec<Table>) {
    let segs: Vec<Seg> = rules
        .iter()
        .filter_map(|r| {
            if r.height() <= TOL && r.width() > 3.0 * TOL {
                Some(Seg {
                    r: *r,
                    horizontal: true,
                })
            } else if r.width() <= TOL && r.height() > 3.0 * TOL {
                Some(Seg {
                    r: *r,
                    horizontal: false,
                })
            } else {
                None
            }
        })
        .take(5000)
        .collect();
    // Connected groups of crossing rules (union-find).
    let mut parent: Vec<usize> = (0..segs.len()).collect();
    fn find(p: &mut [usize], i: usize) -> usize {
        let mut i = i;
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            if segs[i].horizontal != segs[j].horizontal && touches(&segs[i], &segs[j]) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, Vec<Seg>> = Default::default();
    for (i, s) in segs.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(*s);
    }
    let mut grids: Vec<(Rect, Vec<f32>, Vec<f32>)> = Vec::new();
    for g in groups.values() {
        let ys = positions(
            g.iter()
                .filter(|s| s.horizontal)
                .map(|s| (s.r.y0 + s.r.y1) / 2.0)
                .collect(),
        );
        let xs = positions(
            g.iter()
                .filter(|s| !s.horizontal)
                .map(|s| (s.r.x0 + s.r.x1) / 2.0)
                .collect(),
        );
        if ys.len() < 2 || xs.len() < 2 {
            continue;
        }
        let bbox = Rect::new(xs[0], ys[0], xs[xs.len() - 1], ys[ys.len() - 1]);
        // A single box (a frame around text) is not a table.
        if ys.len() == 2 && xs.len() == 2 {
            continue;
        }
        grids.push((bbox, xs, ys));
    }
    grids.sort_by(|a, b| a.0.y0.total_cmp(&b.0.y0));
    for (bbox, xs, ys) in grids {
        let mut table = Table {
            bbox,
            rows: vec![vec![Vec::new(); xs.len() - 1]; ys.len() - 1],
        };
        let index = tables.len();
        let mut used = false;
        for (bi, b) in blocks.iter_mut().enumerate() {
            if b.role != BlockRole::Body {
                continue;
            }
            let cx = (b.bbox.x0 + b.bbox.x1) / 2.0;
            let cy = (b.bbox.y0 + b.bbox.y1) / 2.0;
            if cx < bbox.x0 || cx > bbox.x1 || cy < bbox.y0 || cy > bbox.y1 {
                continue;
            }
            let col = xs.windows(2).position(|w| cx >= w[0] && cx <= w[1]);
            let row = ys.windows(2).position(|w| cy >= w[0] && cy <= w[1]);
            if let (Some(row), Some(col)) = (row, col) {
                table.rows[row][col].push(bi);
                b.role = BlockRole::Cell {
                    table: index,
                    row,
                    col,
                };
                used = true;
            }
        }
        if used {
            // Rows without text (ruling artefacts) are dropped and the cells renumbered.
            let keep: Vec<usize> = (0..table.rows.len())
                .filter(|&r| table.rows[r].iter().any(|c| !c.is_empty()))
                .collect();
            let rows: Vec<Vec<Vec<usize>>> = keep.iter().map(|&r| table.rows[r].clone()).collect();
            for (new_r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    for &bi in cell {
                        blocks[bi].role = BlockRole::Cell {
                            table: index,
                            row: new_r,
                            col: c,
                        };
                    }
                }
            }
            table.rows = rows;
            tables.push(table);
        }
    }
}

/// Finds tables drawn without rules from the alignment of blocks: consecutive rows of blocks
/// side by side (tops level, left to right) whose left edges fall on the same columns.
pub fn tables_from_alignment(blocks: &mut [Block], tables: &mut Vec<Table>) {
    const COL_TOL: f32 = 3.0;
    // Rows: runs of body blocks side by side.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut i = 0;
    while i < blocks.len() {
        let mut j = i + 1;
        if blocks[i].role == BlockRole::Body {
            let size = blocks[i].font_size().max(1.0);
            while j < blocks.len()
                && blocks[j].role == BlockRole::Body
                && (blocks[j].bbox.y0 - blocks[i].bbox.y0).abs() < 0.5 * size
                && blocks[j].bbox.x0 > blocks[j - 1].bbox.x1 - 1.0
            {
                j += 1;
            }
        }
        rows.push((i..j).collect());
        i = j;
    }
    let mut r = 0;
    while r < rows.len() {
        if rows[r].len() < 2 {
            r += 1;
            continue;
        }
        let mut cols: Vec<f32> = rows[r].iter().map(|&b| blocks[b].bbox.x0).collect();
        let mut end = r + 1;
        let mut bottom = rows[r]
            .iter()
            .map(|&b| blocks[b].bbox.y1)
            .fold(f32::MIN, f32::max);
        while end < rows.len() {
            let row = &rows[end];
            let top = blocks[row[0]].bbox.y0;
            let fits = row
                .iter()
                .all(|&b| cols.iter().any(|c| (blocks[b].bbox.x0 - c).abs() < COL_TOL));
            // A one-block row continues the table only if it starts in a later column
            // (a row whose first cells are empty).
            let multi = row.len() >= 2
                || cols
                    .first()
                    .is_some_and(|c| blocks[row[0]].bbox.x0 > c + COL_TOL);
            let size = blocks[row[0]].font_size().max(1.0);
            // Rows of one table follow each other; a wide gap starts another table.
            // An all-bold row after plain rows is the header of the next table.
            let bold_row = |row: &[usize]| row.iter().all(|&b| blocks[b].is_bold());
            let new_header = bold_row(row) && !bold_row(&rows[end - 1]);
            if !fits || !multi || new_header || top < bottom - 1.0 || top - bottom > 1.5 * size {
                break;
            }
            bottom = row
                .iter()
                .map(|&b| blocks[b].bbox.y1)
                .fold(bottom, f32::max);
            end += 1;
        }
        if end - r >= 2 {
            cols.sort_by(f32::total_cmp);
            let index = tables.len();
            let mut table = Table {
                bbox: blocks[rows[r][0]].bbox,
                rows: Vec::new(),
            };
            for (ri, row) in rows[r..end].iter().enumerate() {
                let mut cells = vec![Vec::new(); cols.len()];
                for &b in row {
                    let col = cols
                        .iter()
                        .position(|c| (blocks[b].bbox.x0 - c).abs() < COL_TOL)
                        .unwrap_or(0);
                    cells[col].push(b);
                    table.bbox = table.bbox.union(&blocks[b].bbox);
                    blocks[b].role = BlockRole::Cell {
                        table: index,
                        row: ri,
                        col,
                    };
                }
                table.rows.push(cells);
            }
            tables.push(table);
        }
        r = end.max(r + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(text: &str, x0: f32, y0: f32) -> Block {
        let bbox = Rect::new(x0, y0, x0 + 30.0, y0 + 10.0);
        let word = super::super::model::Word {
            text: text.into(),
            bbox,
            font: "Test".into(),
            size: 10.0,
            bold: false,
            italic: false,
            invisible: false,
        };
        Block {
            text: text.into(),
            lines: vec![super::super::model::Line {
                words: vec![word],
                bbox,
            }],
            bbox,
            role: BlockRole::Body,
        }
    }

    #[test]
    fn grid_of_rules_makes_cells() {
        // A 2x2 grid: x at 0, 100, 200; y at 0, 20, 40; drawn as thin rectangles' edges.
        let mut rules = Vec::new();
        for y in [0.0, 20.0, 40.0] {
            rules.push(Rect::new(0.0, y, 200.0, y + 0.5));
        }
        for x in [0.0, 100.0, 200.0] {
            rules.push(Rect::new(x, 0.0, x + 0.5, 40.0));
        }
        let mut blocks = vec![
            block("a", 10.0, 5.0),
            block("b", 110.0, 5.0),
            block("c", 10.0, 25.0),
            block("d", 110.0, 25.0),
            block("outside", 10.0, 80.0),
        ];
        let mut tables = Vec::new();
        tables_from_rules(&rules, &mut blocks, &mut tables);
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0].rows,
            vec![vec![vec![0], vec![1]], vec![vec![2], vec![3]]]
        );
        assert_eq!(
            blocks[3].role,
            BlockRole::Cell {
                table: 0,
                row: 1,
                col: 1
            }
        );
        assert_eq!(blocks[4].role, BlockRole::Body);
    }

    #[test]
    fn aligned_blocks_make_a_table() {
        let mut blocks = vec![
            block("Title", 10.0, 0.0),
            block("Sak", 10.0, 20.0),
            block("Tema", 60.0, 20.0),
            block("Type", 120.0, 20.0),
            block("38/22", 10.0, 40.0),
            block("Godkjenning", 60.0, 40.0),
            block("Vedtak", 120.0, 40.0),
            block("Lunsj", 60.0, 60.0),
            block("After the table", 10.0, 90.0),
        ];
        let mut tables = Vec::new();
        tables_from_alignment(&mut blocks, &mut tables);
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].rows.len(), 3);
        assert_eq!(tables[0].rows[1], vec![vec![4], vec![5], vec![6]]);
        assert_eq!(tables[0].rows[2], vec![vec![], vec![7], vec![]]);
        assert_eq!(blocks[0].role, BlockRole::Body);
        assert_eq!(blocks[8].role, BlockRole::Body);
    }

    #[test]
    fn a_frame_is_not_a_table() {
        let rules = vec![
            Rect::new(0.0, 0.0, 200.0, 0.5),
            Rect::new(0.0, 40.0, 200.0, 40.5),
            Rect::new(0.0, 0.0, 0.5, 40.0),
            Rect::new(200.0, 0.0, 200.5, 40.0),
        ];
        let mut blocks = vec![block("a", 10.0, 5.0)];
        let mut tables = Vec::new();
        tables_from_rules(&rules, &mut blocks, &mut tables);
        assert!(tables.is_empty());
    }
}
