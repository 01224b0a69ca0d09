//! The serde access types of the deserializer: object members, array elements, enum variants
//! and member names; and skipping a value unread.

use super::{De, DeError, Result, Text, visit_text};
use crate::claims::Claim;
use crate::json::{KeySet, Kind, RawValue};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// The members of an object, after its `{`.
pub(super) struct Members<'a, 'de, const CHECK: bool> {
    pub de: &'a mut De<'de, CHECK>,
    pub first: bool,
    pub keys: KeySet<'de>,
    /// The top-level object, whose registered claims are read.
    pub top: bool,
    /// The registered claim whose value is being read, if it is one.
    pub claim: Option<Claim>,
}

impl<'de, const CHECK: bool> de::MapAccess<'de> for Members<'_, 'de, CHECK> {
    type Error = DeError;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let de = &mut *self.de;
        de.ws();
        match de.peek() {
            Some(b'}') => return Ok(None),
            Some(b',') if !self.first => {
                de.pos += 1;
                de.ws();
            }
            _ if self.first => {}
            _ => return Err(DeError),
        }
        self.first = false;
        let key = de.key(&mut self.keys)?;
        if CHECK && self.top {
            self.claim = match &key {
                Text::Borrowed(s) => Claim::from_name(s),
                Text::Owned(s) => Claim::from_name(s),
            };
        }
        seed.deserialize(Key(key)).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let de = &mut *self.de;
        de.ws();
        de.eat(b':')?;
        let Some(claim) = self.claim.take().filter(|_| CHECK) else {
            return seed.deserialize(de);
        };
        de.ws();
        let start = de.pos;
        de.last_integer = None;
        let value = seed.deserialize(&mut *de)?;
        let raw = de.text.get(start..de.pos).unwrap_or_default();
        let kind = match raw.as_bytes().first() {
            Some(b'"') => Kind::String,
            Some(b'{') => Kind::Object,
            Some(b'[') => Kind::Array,
            Some(b't' | b'f') => Kind::Bool,
            Some(b'n') => Kind::Null,
            _ => Kind::Number,
        };
        let raw = match kind {
            // The body between the quotes, as the strict check reports it.
            Kind::String => raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default(),
            _ => raw,
        };
        let escaped = kind == Kind::String && de.last_escaped;
        // A number value is one number, so the last one read is this one.
        let integer = de.last_integer.filter(|_| kind == Kind::Number);
        let raw = RawValue {
            kind,
            raw,
            escaped,
            integer,
        };
        de.registered.claim(claim, raw);
        Ok(value)
    }
}

impl<const CHECK: bool> De<'_, CHECK> {
    /// Skips one value without building anything.
    pub(super) fn skip(&mut self) -> Result<()> {
        self.ws();
        match self.peek() {
            Some(b'"') => self.string().map(|_| ()),
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                self.ws();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                } else {
                    let mut keys = KeySet::default();
                    loop {
                        self.ws();
                        self.key(&mut keys)?;
                        self.ws();
                        self.eat(b':')?;
                        self.skip()?;
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            _ => break,
                        }
                    }
                    self.eat(b'}')?;
                }
                self.depth -= 1;
                Ok(())
            }
            Some(b'[') => {
                self.enter()?;
                self.pos += 1;
                self.ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip()?;
                        self.ws();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            _ => break,
                        }
                    }
                    self.eat(b']')?;
                }
                self.depth -= 1;
                Ok(())
            }
            _ => self.deserialize_any(de::IgnoredAny).map(|_| ()),
        }
    }
}

/// The elements of an array, after its `[`.
pub(super) struct Elements<'a, 'de, const CHECK: bool> {
    pub de: &'a mut De<'de, CHECK>,
    pub first: bool,
}

impl<'de, const CHECK: bool> de::SeqAccess<'de> for Elements<'_, 'de, CHECK> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        let de = &mut *self.de;
        de.ws();
        match de.peek() {
            Some(b']') => return Ok(None),
            Some(b',') if !self.first => de.pos += 1,
            _ if self.first => {}
            _ => return Err(DeError),
        }
        self.first = false;
        seed.deserialize(de).map(Some)
    }
}

/// An enum written as `{"Variant": value}`, after its `{`.
pub(super) struct Variant<'a, 'de, const CHECK: bool> {
    pub de: &'a mut De<'de, CHECK>,
}

impl<'de, const CHECK: bool> de::EnumAccess<'de> for Variant<'_, 'de, CHECK> {
    type Error = DeError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self)> {
        self.de.ws();
        let key = self.de.string()?;
        let value = seed.deserialize(Key(key))?;
        self.de.ws();
        self.de.eat(b':')?;
        Ok((value, self))
    }
}

impl<'de, const CHECK: bool> de::VariantAccess<'de> for Variant<'_, 'de, CHECK> {
    type Error = DeError;

    fn unit_variant(self) -> Result<()> {
        de::Deserialize::deserialize(self.de)
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(self.de)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.de.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.de.deserialize_any(visitor)
    }
}

/// A member name: a string, which integer types read as a number (as serde_json allows).
pub(super) struct Key<'de>(pub Text<'de>);

impl<'de> Key<'de> {
    fn as_str(&self) -> &str {
        match &self.0 {
            Text::Borrowed(s) => s,
            Text::Owned(s) => s,
        }
    }
}

macro_rules! integer_key {
    ($($method:ident => $visit:ident $t:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            match self.as_str().parse::<$t>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => Err(de::Error::invalid_type(
                    de::Unexpected::Str(self.as_str()),
                    &visitor,
                )),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visit_text(self.0, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        match self.0 {
            Text::Borrowed(s) => visitor.visit_enum(s.into_deserializer()),
            Text::Owned(s) => visitor.visit_enum(s.into_deserializer()),
        }
    }

    integer_key! {
        deserialize_i8 => visit_i8 i8,
        deserialize_i16 => visit_i16 i16,
        deserialize_i32 => visit_i32 i32,
        deserialize_i64 => visit_i64 i64,
        deserialize_i128 => visit_i128 i128,
        deserialize_u8 => visit_u8 u8,
        deserialize_u16 => visit_u16 u16,
        deserialize_u32 => visit_u32 u32,
        deserialize_u64 => visit_u64 u64,
        deserialize_u128 => visit_u128 u128,
    }

    forward_to_deserialize_any! {
        bool f32 f64 char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map
        struct identifier ignored_any
    }
}
