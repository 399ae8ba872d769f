//! Conversions between JS values and the engine's types (wasm only).
//!
//! Options come from arbitrary pages, so reading them must survive
//! getters that throw, Proxies whose traps throw and revoked Proxies. A JS
//! exception must never unwind through wasm frames (it would leak the
//! shadow stack and, after enough calls, corrupt the module's memory), so
//! every operation that can run page code goes through an import declared
//! with `catch`: wasm-bindgen then calls it inside a JS `try`, and a throw
//! comes back as an `Err`. What cannot run page code (`typeof` checks,
//! reading a primitive) is done directly.

use crate::options::{Value, MAX_OPTION_VALUES, MAX_STRING_CHARS};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Deepest nesting of an options value that is read.
const MAX_DEPTH: usize = 4;

/// Most entries read from one JS array or object.
const MAX_ENTRIES: usize = 1024;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray(v)`: throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    /// `Object.keys(v)`: own enumerable string keys; runs Proxy traps.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn keys(v: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Reflect.get(v, key)`: runs getters and Proxy traps.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn get(v: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;
}

/// Reads a JS value into a [`Value`], own enumerable properties only (so
/// inherited or prototype keys are never consulted). A property whose
/// reading throws becomes [`Value::Threw`]; the options parser names it.
/// At most [`MAX_OPTION_VALUES`] properties and items are read in all:
/// the next one becomes [`Value::TooMany`] and ends its object or array,
/// and every one enclosing it. `snapshot` in `pkg/recherche.js` copies
/// options exactly as this reads them: change both together.
pub fn to_value(v: &JsValue) -> Value {
    let mut left = MAX_OPTION_VALUES;
    read(v, 0, &mut left)
}

/// Whether another value may be read (`left` counts down).
fn may_read(left: &mut usize) -> bool {
    let more = *left > 0;
    *left = left.saturating_sub(1);
    more
}

/// A primitive string, unless it is longer than [`MAX_STRING_CHARS`]
/// UTF-16 units (then only its length crosses into wasm memory).
fn string(v: &JsValue) -> Option<Value> {
    let s: &js_sys::JsString = v.dyn_ref()?;
    let n = s.length() as usize;
    Some(if n > MAX_STRING_CHARS { Value::TooLong(n) } else { Value::String(v.as_string().unwrap_or_default()) })
}

fn read(v: &JsValue, depth: usize, left: &mut usize) -> Value {
    if v.is_undefined() {
        return Value::Undefined;
    }
    if v.is_null() {
        return Value::Null;
    }
    if let Some(b) = v.as_bool() {
        return Value::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        return Value::Number(n);
    }
    if let Some(s) = string(v) {
        return s;
    }
    if depth >= MAX_DEPTH || !v.is_object() {
        // Functions, symbols, big integers, values nested too deep.
        return Value::Other;
    }
    match is_array(v) {
        Err(_) => Value::Threw,
        Ok(true) => {
            let len = match get(v, &JsValue::from_str("length")) {
                Ok(n) => n.as_f64().unwrap_or(0.0),
                Err(_) => return Value::Threw,
            };
            if len > MAX_ENTRIES as f64 {
                // Not `vec![Value::Other; n]`: that links `Value`'s Clone.
                return Value::Array(std::iter::repeat_with(|| Value::Other).take(crate::options::MAX_FILTER_VALUES + 1).collect());
            }
            let mut items = Vec::with_capacity(len as usize);
            for i in 0..len as u32 {
                if !may_read(left) {
                    items.push(Value::TooMany);
                    break;
                }
                items.push(match get(v, &JsValue::from(i)) {
                    Ok(x) => read(&x, depth + 1, left),
                    Err(_) => Value::Threw,
                });
            }
            Value::Array(items)
        }
        Ok(false) => {
            let Ok(keys) = keys(v) else {
                return Value::Threw;
            };
            let mut fields = Vec::new();
            for key in keys.iter().take(MAX_ENTRIES) {
                let name = match string(&key) {
                    Some(Value::String(s)) => s,
                    _ => String::from("…"),
                };
                if !may_read(left) {
                    fields.push((name, Value::TooMany));
                    break;
                }
                let value = match get(v, &key) {
                    Ok(x) => read(&x, depth + 1, left),
                    Err(_) => Value::Threw,
                };
                fields.push((name, value));
            }
            Value::Object(fields)
        }
    }
}

/// A JS `Error` with `message`, and a `field` property when one is named.
pub fn error(message: &str, field: Option<&str>) -> JsValue {
    let e = js_sys::Error::new(message);
    if let Some(f) = field {
        let _ = js_sys::Reflect::set(&e, &JsValue::from_str("field"), &JsValue::from_str(f));
    }
    e.into()
}

/// Serialises a result as plain JS objects. (The results' types hold
/// nothing the serializer refuses, such as integers past 2⁵³: its error,
/// not formatted, would only say which.)
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|_| error("recherche: could not build the result", None))
}
