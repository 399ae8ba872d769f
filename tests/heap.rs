//! The module's allocator (`src/heap.rs`), natively over a buffer of
//! pages: every block it gives is checked against an independent map of
//! the live ranges, and its contents against what was written into it.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use recherche::heap::{class, Allocator, Pages, MIN_CLASS, PAGE_CLASS};
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

const PAGE: usize = 1 << PAGE_CLASS;

/// At most `limit` pages, 64 KiB-aligned, from a buffer; counts the pages
/// given out.
struct Buffer {
    _bytes: Vec<u8>,
    first: usize,
    limit: usize,
    used: Rc<Cell<usize>>,
}

impl Buffer {
    fn new(limit: usize) -> (Self, Rc<Cell<usize>>) {
        let bytes = vec![0u8; (limit + 1) * PAGE];
        let first = (bytes.as_ptr() as usize).next_multiple_of(PAGE);
        let used = Rc::new(Cell::new(0));
        (Buffer { _bytes: bytes, first, limit, used: used.clone() }, used)
    }
}

impl Pages for Buffer {
    fn grow(&mut self, count: usize) -> Option<usize> {
        let used = self.used.get();
        if used + count > self.limit {
            return None;
        }
        self.used.set(used + count);
        Some(self.first + used * PAGE)
    }
}

#[test]
fn classes_cover_size_and_alignment() {
    let layout = |size, align| Layout::from_size_align(size, align).unwrap();
    // (`GlobalAlloc` takes no zero size, but `class` answers for one.)
    assert_eq!(class(layout(0, 1)), Some(MIN_CLASS));
    assert_eq!(class(layout(1, 1)), Some(MIN_CLASS));
    assert_eq!(class(layout(8, 8)), Some(3));
    assert_eq!(class(layout(9, 1)), Some(4));
    assert_eq!(class(layout(16, 1)), Some(4));
    assert_eq!(class(layout(1, 64)), Some(6));
    assert_eq!(class(layout(PAGE, 1)), Some(PAGE_CLASS));
    assert_eq!(class(layout(PAGE + 1, 1)), Some(PAGE_CLASS + 1));
    assert_eq!(class(layout(1, PAGE)), Some(PAGE_CLASS));
    // Above a page's alignment: refused.
    assert_eq!(class(layout(1, PAGE * 2)), None);
    for size in 1..5000 {
        let k = class(layout(size, 1)).unwrap();
        assert!(1 << k >= size && (k == MIN_CLASS || 1 << (k - 1) < size), "{size}: {k}");
    }
}

#[test]
fn memory_runs_out_with_null_and_a_freed_block_serves_its_class() {
    let (buffer, used) = Buffer::new(5);
    let heap = Allocator::new(buffer);
    let page = Layout::from_size_align(PAGE, 8).unwrap();
    let b16 = Layout::from_size_align(16, 8).unwrap();
    unsafe {
        let pages: Vec<_> = (0..4).map(|_| heap.alloc(page) as usize).collect();
        // 16-byte blocks: the 4,096 of the fifth page, then none.
        let blocks: Vec<_> = (0..4096).map(|_| heap.alloc(b16) as usize).collect();
        assert_eq!(used.get(), 5);
        let fifth = pages[3] + PAGE;
        assert!(blocks.iter().all(|&b| (fifth..fifth + PAGE).contains(&b)));
        assert!(heap.alloc(b16).is_null());
        assert!(heap.alloc(page).is_null());
        assert!(heap.alloc(Layout::from_size_align(1, 2 * PAGE).unwrap()).is_null());
        // A freed block comes back to its class, last in first out.
        heap.dealloc(blocks[7] as *mut u8, b16);
        heap.dealloc(blocks[9] as *mut u8, b16);
        assert_eq!(heap.alloc(Layout::from_size_align(9, 1).unwrap()) as usize, blocks[9]);
        assert_eq!(heap.alloc(b16) as usize, blocks[7]);
        // Within its class, a block grows and shrinks in place.
        assert_eq!(heap.realloc(blocks[7] as *mut u8, b16, 9) as usize, blocks[7]);
        // A freed page serves a request of its class, smaller ones too,
        // never another class.
        heap.dealloc(pages[2] as *mut u8, page);
        assert!(heap.alloc(b16).is_null());
        assert_eq!(heap.alloc(Layout::from_size_align(PAGE / 2 + 1, 4).unwrap()) as usize, pages[2]);
        assert_eq!(used.get(), 5);
    }
}

#[derive(Debug, Clone)]
enum Op {
    Alloc { size: usize, align_log: u32 },
    Free(usize),
    Realloc(usize, usize),
}

fn op() -> impl Strategy<Value = Op> {
    // Mostly small sizes, some of several pages.
    // `GlobalAlloc` takes no zero sizes.
    let size = prop_oneof![4 => 1usize..300, 2 => 1usize..20_000, 1 => 1usize..200_000];
    prop_oneof![
        3 => (size.clone(), 0u32..8).prop_map(|(size, align_log)| Op::Alloc { size, align_log }),
        2 => any::<usize>().prop_map(Op::Free),
        1 => (any::<usize>(), size).prop_map(|(i, size)| Op::Realloc(i, size)),
    ]
}

/// Runs `ops` on `heap`, checking every block; frees what is left.
unsafe fn run(heap: &Allocator<Buffer>, ops: &[Op]) {
    // Live blocks: start → (end, layout, fill byte), and their starts in
    // the order they were made.
    let mut live: BTreeMap<usize, (usize, Layout, u8)> = BTreeMap::new();
    let mut order: Vec<usize> = Vec::new();
    let check = |live: &BTreeMap<usize, (usize, Layout, u8)>, at: usize| {
        let (_, layout, fill) = live[&at];
        let bytes = std::slice::from_raw_parts(at as *const u8, layout.size());
        assert!(bytes.iter().all(|&b| b == fill), "block at {at:#x} was overwritten");
    };
    let place = |live: &mut BTreeMap<usize, (usize, Layout, u8)>, at: usize, layout: Layout, fill: u8, keep: usize| {
        assert_ne!(at, 0, "{layout:?} refused");
        assert_eq!(at % layout.align(), 0, "{layout:?} at {at:#x}");
        let end = at + layout.size().max(1);
        if let Some((&before, &(before_end, ..))) = live.range(..=at).next_back() {
            assert!(before_end <= at, "{at:#x} overlaps the block at {before:#x}");
        }
        if let Some((&after, _)) = live.range(at..).next() {
            assert!(end <= after, "{at:#x}..{end:#x} overlaps the block at {after:#x}");
        }
        let bytes = std::slice::from_raw_parts_mut(at as *mut u8, layout.size());
        assert!(bytes[..keep].iter().all(|&b| b == fill.wrapping_sub(1)), "realloc lost the contents");
        bytes.fill(fill);
        live.insert(at, (end, layout, fill));
    };
    for (n, op) in ops.iter().enumerate() {
        let fill = n as u8;
        match *op {
            Op::Alloc { size, align_log } => {
                let layout = Layout::from_size_align(size, 1 << align_log).unwrap();
                let at = heap.alloc(layout) as usize;
                place(&mut live, at, layout, fill, 0);
                order.push(at);
            }
            Op::Free(i) if !order.is_empty() => {
                let at = order.swap_remove(i % order.len());
                check(&live, at);
                let (_, layout, _) = live.remove(&at).unwrap();
                heap.dealloc(at as *mut u8, layout);
            }
            Op::Realloc(i, size) if !order.is_empty() => {
                let i = i % order.len();
                let at = order[i];
                check(&live, at);
                let (_, layout, _) = live.remove(&at).unwrap();
                // Mark the old contents so that `place` can check the copy.
                std::slice::from_raw_parts_mut(at as *mut u8, layout.size()).fill(fill.wrapping_sub(1));
                let to = heap.realloc(at as *mut u8, layout, size) as usize;
                let new = Layout::from_size_align(size, layout.align()).unwrap();
                place(&mut live, to, new, fill, layout.size().min(size));
                order[i] = to;
            }
            _ => {}
        }
    }
    for at in order {
        check(&live, at);
        let (_, layout, _) = live.remove(&at).unwrap();
        heap.dealloc(at as *mut u8, layout);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Every block is aligned, inside the buffer, apart from every other
    /// live block, and keeps what was written into it (across `realloc`,
    /// up to the smaller size); and a workload run again takes no new
    /// pages: what it freed serves it.
    #[test]
    fn blocks_never_overlap_and_a_repeated_workload_takes_no_new_memory(ops in prop::collection::vec(op(), 1..120)) {
        let (buffer, used) = Buffer::new(512);
        let heap = Allocator::new(buffer);
        unsafe {
            run(&heap, &ops);
            let after_one = used.get();
            run(&heap, &ops);
            prop_assert_eq!(used.get(), after_one);
        }
    }
}
