//! The module's memory allocator: power-of-two blocks on free lists.
//!
//! Rust's default allocator for `wasm32-unknown-unknown` is dlmalloc, a
//! general-purpose allocator that coalesces free neighbours and keeps
//! trees of chunk sizes. It is about 2.5 KB of the gzipped module. The
//! module's allocations do not need any of that: a query allocates and
//! frees the same few shapes again and again, and loaded index files are
//! kept for the page's life. This allocator is a fraction of the size:
//!
//! ```text
//!  class k holds blocks of 2^k bytes, each aligned to min(2^k, 64 KiB):
//!
//!  free[3]  ─▶ [8 B] ─▶ [8 B] ─▶ 0        a free block's first word
//!  free[4]  ─▶ [16 B] ─▶ 0                 points to the next one
//!   …
//!  free[16] ─▶ [64 KiB page] ─▶ 0
//!  free[17] ─▶ 0                           empty: grow memory by 2 pages
//!
//!  take(k):  pop free[k]; or, below a page, grow the memory by a page,
//!            cut it into blocks of 2^k and keep all but the first on
//!            free[k]; or, from a page up, grow it by 2^(k - 16) pages.
//!  give(k):  push the block on free[k].
//! ```
//!
//! A block belongs to its class for the module's life: blocks are never
//! merged or split again, and a page cut for one class serves only it.
//! A request of `size` bytes aligned to `align` takes a block of the class
//! of `max(size, align, 8)` rounded up to a power of two, so the class is
//! the same at `alloc` and `dealloc` (both get the same layout), and a
//! block's alignment, its size up to a page, covers `align`. Alignments
//! above a page (64 KiB) are refused (null); none of the module's types asks
//! for one.
//!
//! The cost: a block is at most twice its request, and the memory the
//! module holds is, for each class, the most blocks it ever had in use
//! at once (rounded up to a page below a page's size). It does not grow
//! with the number of queries: a query's blocks go back to their lists
//! and the next query takes them again. The tests (`tests/heap.rs`) check
//! the blocks against an independent map of live ranges, and that a
//! workload run again takes no new memory.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;

/// The smallest class: 8-byte blocks, enough for the free list's link
/// and for the alignment of every primitive.
pub const MIN_CLASS: u32 = 3;

/// The class of a wasm page (64 KiB = 2^16 bytes), the unit the memory
/// grows by: classes below it are cut from a page, classes from it up are
/// whole pages.
pub const PAGE_CLASS: u32 = 16;

/// Where new pages come from: `memory.grow` in the module, a buffer in
/// the tests.
pub trait Pages {
    /// Adds `count` pages of 64 KiB and returns the address of the first,
    /// or `None` when there is no more memory. Addresses are never 0 and
    /// are multiples of 64 KiB.
    fn grow(&mut self, count: usize) -> Option<usize>;
}

/// Free lists, one per class, over the pages `P` gives.
pub struct Heap<P> {
    /// The first free block of each class, or 0.
    free: [usize; usize::BITS as usize],
    pages: P,
}

/// The class a layout takes, or `None` when no block can hold it.
pub fn class(layout: Layout) -> Option<u32> {
    let size = layout.size().max(layout.align()).max(1 << MIN_CLASS);
    // Layout keeps sizes to isize::MAX, so k < usize::BITS.
    (layout.align() <= 1 << PAGE_CLASS).then(|| usize::BITS - (size - 1).leading_zeros())
}

impl<P: Pages> Heap<P> {
    pub const fn new(pages: P) -> Self {
        Heap { free: [0; usize::BITS as usize], pages }
    }

    /// A block of class `k`, or 0.
    ///
    /// # Safety
    /// The free lists must only hold blocks this heap gave out.
    pub unsafe fn take(&mut self, k: u32) -> usize {
        let block = self.free[k as usize];
        if block != 0 {
            self.free[k as usize] = *(block as *const usize);
            return block;
        }
        let block = self.pages.grow(1 << k.saturating_sub(PAGE_CLASS)).unwrap_or(0);
        if block != 0 {
            for i in 1..1 << PAGE_CLASS.saturating_sub(k) {
                self.give(k, block + (i << k));
            }
        }
        block
    }

    /// Returns a block of class `k` to its list.
    ///
    /// # Safety
    /// `block` came from `take(k)` and is no longer used.
    pub unsafe fn give(&mut self, k: u32, block: usize) {
        *(block as *mut usize) = self.free[k as usize];
        self.free[k as usize] = block;
    }
}

/// `memory.grow` on the module's memory.
#[cfg(target_arch = "wasm32")]
pub struct Memory;

#[cfg(target_arch = "wasm32")]
impl Pages for Memory {
    fn grow(&mut self, count: usize) -> Option<usize> {
        let first = core::arch::wasm32::memory_grow(0, count);
        (first != usize::MAX).then_some(first << PAGE_CLASS)
    }
}

/// A [`Heap`] as Rust's global allocator. The module is single-threaded,
/// so nothing else can hold the heap while a call runs.
pub struct Allocator<P>(UnsafeCell<Heap<P>>);

// SAFETY: a module built without the atomics feature runs on one thread,
// so no two calls reach the heap at once. Nowhere else is it shared
// (natively, the tests use an allocator on one thread, never in a static).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl<P> Sync for Allocator<P> {}

impl<P: Pages> Allocator<P> {
    pub const fn new(pages: P) -> Self {
        Allocator(UnsafeCell::new(Heap::new(pages)))
    }
}

unsafe impl<P: Pages> GlobalAlloc for Allocator<P> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class(layout) {
            Some(k) => (*self.0.get()).take(k) as *mut u8,
            None => core::ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if let Some(k) = class(layout) {
            (*self.0.get()).give(k, ptr as usize);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(layout) == class(new) {
            return ptr;
        }
        let to = self.alloc(new);
        if !to.is_null() {
            core::ptr::copy_nonoverlapping(ptr, to, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        to
    }
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: Allocator<Memory> = Allocator::new(Memory);
