pub mod analysis;
#[cfg(not(target_arch = "wasm32"))]
pub mod corpus;
pub mod date;
pub mod index;
