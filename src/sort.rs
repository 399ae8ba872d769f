//! One stable sort for the whole module.
//!
//! `slice::sort_by` is instantiated anew for every element type and
//! comparator, about 1.5 KB of wasm each. Results, expansions and facet
//! values are short lists, so they all go through this single
//! non-generic merge sort of indices instead, keeping the module small.

use std::cmp::Ordering;

/// The stable order of `0..n` under `cmp` (bottom-up merge sort).
pub fn order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut a: Vec<u32> = (0..n as u32).collect();
    let mut b = a.clone();
    let mut width = 1;
    while width < n {
        let mut i = 0;
        while i < n {
            let mid = (i + width).min(n);
            let end = (i + 2 * width).min(n);
            let (mut l, mut r, mut k) = (i, mid, i);
            while l < mid && r < end {
                if cmp(a[r] as usize, a[l] as usize) == Ordering::Less {
                    b[k] = a[r];
                    r += 1;
                } else {
                    b[k] = a[l];
                    l += 1;
                }
                k += 1;
            }
            b[k..k + mid - l].copy_from_slice(&a[l..mid]);
            k += mid - l;
            b[k..k + end - r].copy_from_slice(&a[r..end]);
            i = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Sorts `v` stably by `cmp`.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = std::mem::take(v).into_iter().map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// The first `k` elements of `v` in the order of `cmp`, sorted, as a
/// stable sort would give them; the others are dropped unsorted. Costs
/// O(n log k): a binary heap keeps the `k` best seen so far. `cmp` must be
/// a total order that never calls two elements equal (ties broken by a
/// unique key), as every caller's is.
pub fn top_k<T>(v: Vec<T>, k: usize, cmp: impl Fn(&T, &T) -> Ordering) -> Vec<T> {
    if k >= v.len() {
        let mut v = v;
        sort_by(&mut v, cmp);
        return v;
    }
    if k == 0 {
        return Vec::new();
    }
    // A max-heap under `cmp`: the root is the worst of the best k.
    let mut heap: Vec<T> = Vec::with_capacity(k);
    let worse = |a: &T, b: &T| cmp(a, b) == Ordering::Greater;
    for x in v {
        if heap.len() < k {
            heap.push(x);
            let mut i = heap.len() - 1;
            while i > 0 && worse(&heap[i], &heap[(i - 1) / 2]) {
                heap.swap(i, (i - 1) / 2);
                i = (i - 1) / 2;
            }
        } else if worse(&heap[0], &x) {
            heap[0] = x;
            let mut i = 0;
            loop {
                let (l, r) = (2 * i + 1, 2 * i + 2);
                let mut top = i;
                if l < heap.len() && worse(&heap[l], &heap[top]) {
                    top = l;
                }
                if r < heap.len() && worse(&heap[r], &heap[top]) {
                    top = r;
                }
                if top == i {
                    break;
                }
                heap.swap(i, top);
                i = top;
            }
        }
    }
    sort_by(&mut heap, cmp);
    heap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_sort() {
        let mut seed = 12345u32;
        for n in [0, 1, 2, 3, 7, 8, 9, 100, 1000] {
            let mut v: Vec<(u32, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (seed % 17, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|a| a.0);
            sort_by(&mut v, |a, b| a.0.cmp(&b.0));
            assert_eq!(v, expected, "n = {n}");
        }
    }

    #[test]
    fn top_k_is_the_beginning_of_the_sorted_list() {
        let mut seed = 7u32;
        for n in [0usize, 1, 2, 5, 33, 500] {
            // Distinct keys (value, index): a total order without ties.
            let v: Vec<(u32, usize)> = (0..n)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 8) % 23, i)
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort();
            for k in [0, 1, 3, 10, n / 2, n, n + 5] {
                let top = top_k(v.clone(), k, |a, b| a.cmp(b));
                assert_eq!(top, sorted[..k.min(n)].to_vec(), "n = {n}, k = {k}");
            }
        }
    }
}
