//! Conversions between JS values and the engine's types (wasm only).

use crate::options::Value;
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting of an options value that is read.
const MAX_DEPTH: usize = 4;

/// Most entries read from one JS array or object.
const MAX_ENTRIES: usize = 1024;

/// Reads a JS value into a [`Value`], own enumerable properties only (so
/// inherited or prototype keys are never consulted).
pub fn to_value(v: &JsValue) -> Value {
    read(v, 0)
}

fn read(v: &JsValue, depth: usize) -> Value {
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
    if let Some(s) = v.as_string() {
        return Value::String(s);
    }
    if depth >= MAX_DEPTH || v.is_function() || v.is_symbol() || v.is_bigint() {
        return Value::Other;
    }
    if js_sys::Array::is_array(v) {
        let a: &js_sys::Array = v.unchecked_ref();
        if a.length() as usize > MAX_ENTRIES {
            return Value::Array(vec![Value::Other; crate::options::MAX_FILTER_VALUES + 1]);
        }
        return Value::Array(a.iter().map(|x| read(&x, depth + 1)).collect());
    }
    if v.is_object() {
        let obj: &js_sys::Object = v.unchecked_ref();
        let entries = js_sys::Object::entries(obj);
        let mut fields = Vec::new();
        for e in entries.iter().take(MAX_ENTRIES) {
            let pair: js_sys::Array = e.unchecked_into();
            let key = pair.get(0).as_string().unwrap_or_default();
            fields.push((key, read(&pair.get(1), depth + 1)));
        }
        return Value::Object(fields);
    }
    Value::Other
}

/// A JS `Error` with `message`, and a `field` property when one is named.
pub fn error(message: &str, field: Option<&str>) -> JsValue {
    let e = js_sys::Error::new(message);
    if let Some(f) = field {
        let _ = js_sys::Reflect::set(&e, &JsValue::from_str("field"), &JsValue::from_str(f));
    }
    e.into()
}

/// Serialises a result as plain JS objects.
pub fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| error(&format!("recherche: could not build the result: {e}"), None))
}
