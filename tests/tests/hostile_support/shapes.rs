//! The service's own OpenAPI document, read into what the generators need: every operation with
//! its path and query parameters and its request body's shape, `$ref`s resolved. A construct the
//! generators do not know is an error naming the operation, so a new endpoint whose body cannot
//! be generated fails the test instead of going untested.

use serde_json::Value;

/// One operation of the document.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub method: String,
    /// The path as documented, e.g. `/api/v1/partners/{id}/tier`.
    pub template: String,
    pub path_params: Vec<Param>,
    pub query_params: Vec<Param>,
    /// The JSON request body's shape, when the operation takes one.
    pub body: Option<Shape>,
    /// Whether it needs a bearer token.
    pub secured: bool,
}

impl Endpoint {
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.template)
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub shape: Shape,
}

/// A schema, resolved.
#[derive(Debug, Clone)]
pub enum Shape {
    Object {
        /// `(name, shape, required)`, in the document's order.
        props: Vec<(String, Shape, bool)>,
    },
    Array(Box<Shape>),
    /// Exactly one of these (a `null` alternative is folded into `nullable` of the others).
    OneOf(Vec<Shape>),
    Leaf(Leaf),
}

#[derive(Debug, Clone)]
pub struct Leaf {
    pub kind: LeafKind,
    /// The `$ref` name, else the property's name: what a valid value is chosen by.
    pub hint: String,
    /// The name of the property holding it (of its array, for an item), if any.
    pub prop: String,
    pub nullable: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LeafKind {
    Text,
    Enum(Vec<String>),
    Uuid,
    DateTime,
    Date,
    Integer { int32: bool, minimum: Option<i64> },
    Boolean,
}

/// Every operation of `doc`, in the document's order.
pub fn endpoints(doc: &Value) -> Result<Vec<Endpoint>, String> {
    let paths = doc["paths"]
        .as_object()
        .ok_or("the document has no paths")?;
    let mut out = Vec::new();
    for (template, ops) in paths {
        let ops = ops
            .as_object()
            .ok_or_else(|| format!("{template}: not an object"))?;
        for (method, op) in ops {
            let label = format!("{} {template}", method.to_uppercase());
            let reader = Reader { doc, at: &label };
            let mut path_params = Vec::new();
            let mut query_params = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let name = p["name"]
                    .as_str()
                    .ok_or_else(|| format!("{label}: unnamed parameter"))?;
                let shape = reader.shape(&p["schema"], name, 0)?;
                let param = Param {
                    name: name.to_owned(),
                    shape,
                };
                match p["in"].as_str() {
                    Some("path") => path_params.push(param),
                    Some("query") => query_params.push(param),
                    Some("header") => {}
                    other => return Err(format!("{label}: parameter {name} in {other:?}")),
                }
            }
            let body = match op.get("requestBody") {
                None => None,
                Some(rb) => {
                    let content = rb["content"]
                        .as_object()
                        .ok_or_else(|| format!("{label}: request body without content"))?;
                    let schema = content
                        .get("application/json")
                        .map(|c| &c["schema"])
                        .ok_or_else(|| {
                            format!("{label}: no generator for a body that is not JSON")
                        })?;
                    Some(reader.shape(schema, "body", 0)?)
                }
            };
            out.push(Endpoint {
                method: method.clone(),
                template: template.clone(),
                path_params,
                query_params,
                body,
                secured: op.get("security").is_some(),
            });
        }
    }
    Ok(out)
}

struct Reader<'a> {
    doc: &'a Value,
    at: &'a str,
}

impl Reader<'_> {
    fn shape(&self, schema: &Value, hint: &str, depth: usize) -> Result<Shape, String> {
        if depth > 16 {
            return Err(format!("{}: schema nested too deep at {hint}", self.at));
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| format!("{}: unknown $ref {reference}", self.at))?;
            let target = &self.doc["components"]["schemas"][name];
            if target.is_null() {
                return Err(format!("{}: dangling $ref {reference}", self.at));
            }
            return self.shape(target, name, depth + 1);
        }
        if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
            let mut nullable = false;
            let mut shapes = Vec::new();
            for alternative in alternatives {
                if alternative["type"] == "null" {
                    nullable = true;
                } else {
                    shapes.push(self.shape(alternative, hint, depth + 1)?);
                }
            }
            if nullable {
                shapes = shapes.into_iter().map(make_nullable).collect();
            }
            return match shapes.len() {
                0 => Err(format!("{}: oneOf of nulls at {hint}", self.at)),
                1 => Ok(shapes.remove(0)),
                _ => Ok(Shape::OneOf(shapes)),
            };
        }
        let (ty, nullable) = match &schema["type"] {
            Value::String(t) => (t.as_str(), false),
            Value::Array(types) => {
                let named: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                let nullable = named.contains(&"null");
                match named.iter().find(|t| **t != "null") {
                    Some(t) if named.len() <= 2 => (*t, nullable),
                    _ => {
                        return Err(format!(
                            "{}: no generator for types {named:?} at {hint}",
                            self.at
                        ))
                    }
                }
            }
            Value::Null if schema.get("properties").is_some() => ("object", false),
            other => {
                return Err(format!(
                    "{}: no generator for a schema of type {other} at {hint}",
                    self.at
                ))
            }
        };
        let leaf = |kind| {
            Ok(Shape::Leaf(Leaf {
                kind,
                hint: hint.to_owned(),
                prop: String::new(),
                nullable,
            }))
        };
        match ty {
            "object" => {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let mut props = Vec::new();
                for (name, prop) in schema["properties"].as_object().into_iter().flatten() {
                    let shape = named(self.shape(prop, name, depth + 1)?, name);
                    props.push((name.clone(), shape, required.contains(&name.as_str())));
                }
                if props.is_empty()
                    && schema
                        .get("additionalProperties")
                        .is_some_and(|a| a != false)
                {
                    return Err(format!(
                        "{}: no generator for a free-form object at {hint}",
                        self.at
                    ));
                }
                Ok(Shape::Object { props })
            }
            "array" => Ok(Shape::Array(Box::new(self.shape(
                &schema["items"],
                hint,
                depth + 1,
            )?))),
            "string" => match (schema.get("enum"), schema["format"].as_str()) {
                (Some(values), _) => leaf(LeafKind::Enum(
                    values
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                )),
                (None, Some("uuid")) => leaf(LeafKind::Uuid),
                (None, Some("date-time")) => leaf(LeafKind::DateTime),
                (None, Some("date")) => leaf(LeafKind::Date),
                (None, None) => leaf(LeafKind::Text),
                (None, Some(other)) => Err(format!(
                    "{}: no generator for string format {other} at {hint}",
                    self.at
                )),
            },
            "integer" => leaf(LeafKind::Integer {
                int32: schema["format"] == "int32",
                minimum: schema["minimum"].as_i64(),
            }),
            "boolean" => leaf(LeafKind::Boolean),
            other => Err(format!(
                "{}: no generator for type {other} at {hint}",
                self.at
            )),
        }
    }
}

/// `shape` with its leaves (its own, its items', its alternatives') told the property's name.
fn named(shape: Shape, prop: &str) -> Shape {
    match shape {
        Shape::Leaf(mut leaf) => {
            leaf.prop = prop.to_owned();
            Shape::Leaf(leaf)
        }
        Shape::Array(item) => Shape::Array(Box::new(named(*item, prop))),
        Shape::OneOf(alternatives) => {
            Shape::OneOf(alternatives.into_iter().map(|a| named(a, prop)).collect())
        }
        object => object,
    }
}

fn make_nullable(shape: Shape) -> Shape {
    match shape {
        Shape::Leaf(mut leaf) => {
            leaf.nullable = true;
            Shape::Leaf(leaf)
        }
        other => other,
    }
}
