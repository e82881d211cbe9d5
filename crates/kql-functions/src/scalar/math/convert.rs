//! Unit conversion: `convert_angle`, `convert_energy`, `convert_force`, `convert_length`,
//! `convert_mass`, `convert_speed`, `convert_temperature` and `convert_volume`.
//!
//! Kusto converts with the .NET library UnitsNet (the 4.x series, whose unit names are exactly
//! the ones its docs list): a value goes to the quantity's base unit and from there to the target
//! unit, each step the formula UnitsNet writes for that unit, evaluated in the same order so that
//! results agree to the last bit. The formulas below are UnitsNet 4.138's, including its rounded
//! constants (a mile is 1609.34 m there, a US gallon 0.00378541 m³). Unit names are matched
//! exactly; an unknown unit gives null, as the docs say.

use std::collections::HashMap;
use std::f64::consts::PI;
use std::sync::{Arc, OnceLock};

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Float64Array};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::logical_expr::ScalarUDF;

use crate::udf::KernelUdf;
use crate::{KqlType, Param, Registry, Returns, ScalarFunction, Signature};

/// A unit: its name, the formula to the base unit, and the formula from it.
type Unit = (&'static str, fn(f64) -> f64, fn(f64) -> f64);

/// Converts `value` from one unit to another of the same table; `None` for an unknown unit.
fn convert(units: &HashMap<&'static str, &Unit>, value: f64, from: &str, to: &str) -> Option<f64> {
    let (_, to_base, _) = units.get(from)?;
    let (_, _, from_base) = units.get(to)?;
    if from == to {
        return Some(value);
    }
    Some(from_base(to_base(value)))
}

/// A UDF `(real, string, string) → real` over one unit table.
macro_rules! convert_udf {
    ($udf:ident, $name:literal, $table:ident) => {
        fn $udf() -> Arc<ScalarUDF> {
            static UDF: OnceLock<Arc<ScalarUDF>> = OnceLock::new();
            Arc::clone(UDF.get_or_init(|| {
                KernelUdf::new(
                    $name,
                    vec![DataType::Float64, DataType::Utf8, DataType::Utf8],
                    DataType::Float64,
                    |a| {
                        static UNITS: OnceLock<HashMap<&'static str, &Unit>> = OnceLock::new();
                        let units = UNITS.get_or_init(|| $table.iter().map(|u| (u.0, u)).collect());
                        let values = a[0].as_primitive::<Float64Type>();
                        let (from, to) = (a[1].as_string::<i32>(), a[2].as_string::<i32>());
                        let out: Float64Array = (0..values.len())
                            .map(|i| {
                                if values.is_null(i) || from.is_null(i) || to.is_null(i) {
                                    return None;
                                }
                                convert(units, values.value(i), from.value(i), to.value(i))
                            })
                            .collect();
                        Ok(Arc::new(out) as ArrayRef)
                    },
                )
                .into_udf()
            }))
        }
    };
}

convert_udf!(angle_udf, "kql_convert_angle", ANGLE);
convert_udf!(energy_udf, "kql_convert_energy", ENERGY);
convert_udf!(force_udf, "kql_convert_force", FORCE);
convert_udf!(length_udf, "kql_convert_length", LENGTH);
convert_udf!(mass_udf, "kql_convert_mass", MASS);
convert_udf!(speed_udf, "kql_convert_speed", SPEED);
convert_udf!(temperature_udf, "kql_convert_temperature", TEMPERATURE);
convert_udf!(volume_udf, "kql_convert_volume", VOLUME);

/// Registers the `convert_*` functions.
pub(super) fn register(r: &mut Registry) {
    const REAL: Param = Param::Of(KqlType::Real);
    const STRING: Param = Param::Of(KqlType::String);
    let functions: [(&'static str, &'static str, crate::ScalarLowering); 8] = [
        (
            "convert_angle",
            "An angle converted between units (Degree, Radian, Arcminute, …).",
            |_, _, a| Ok(angle_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_energy",
            "An energy converted between units (Joule, KilowattHour, BritishThermalUnit, …).",
            |_, _, a| Ok(energy_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_force",
            "A force converted between units (Newton, PoundForce, KilogramForce, …).",
            |_, _, a| Ok(force_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_length",
            "A length converted between units (Meter, Foot, Mile, …).",
            |_, _, a| Ok(length_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_mass",
            "A mass converted between units (Kilogram, Pound, Ounce, …).",
            |_, _, a| Ok(mass_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_speed",
            "A speed converted between units (MeterPerSecond, KilometerPerHour, Knot, …).",
            |_, _, a| Ok(speed_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_temperature",
            "A temperature converted between units (Kelvin, DegreeCelsius, DegreeFahrenheit, …).",
            |_, _, a| Ok(temperature_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
        (
            "convert_volume",
            "A volume converted between units (CubicMeter, Liter, UsGallon, …).",
            |_, _, a| Ok(volume_udf().call(a.into_iter().map(|a| a.expr).collect())),
        ),
    ];
    for (name, doc, lower) in functions {
        r.add_scalar(ScalarFunction {
            name,
            doc,
            signatures: vec![Signature::new(
                [REAL, STRING, STRING],
                Returns::Type(KqlType::Real),
            )],
            lower,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// The unit tables: UnitsNet 4.138's formulas, to the base unit and from it. Constants are
// written as UnitsNet writes them, extra digits included (they round to the same doubles).

/// `convert_angle`: base unit Degree.
#[allow(clippy::excessive_precision)]
const ANGLE: &[Unit] = &[
    ("Arcminute", |x| x / 60.0, |x| x * 60.0),
    ("Arcsecond", |x| x / 3600.0, |x| x * 3600.0),
    (
        "Centiradian",
        |x| (x * 180.0 / PI) * 1e-2,
        |x| (x / 180.0 * PI) / 1e-2,
    ),
    (
        "Deciradian",
        |x| (x * 180.0 / PI) * 1e-1,
        |x| (x / 180.0 * PI) / 1e-1,
    ),
    ("Degree", |x| x, |x| x),
    ("Gradian", |x| x * 0.9, |x| x / 0.9),
    ("Microdegree", |x| x * 1e-6, |x| x / 1e-6),
    (
        "Microradian",
        |x| (x * 180.0 / PI) * 1e-6,
        |x| (x / 180.0 * PI) / 1e-6,
    ),
    ("Millidegree", |x| x * 1e-3, |x| x / 1e-3),
    (
        "Milliradian",
        |x| (x * 180.0 / PI) * 1e-3,
        |x| (x / 180.0 * PI) / 1e-3,
    ),
    ("Nanodegree", |x| x * 1e-9, |x| x / 1e-9),
    (
        "Nanoradian",
        |x| (x * 180.0 / PI) * 1e-9,
        |x| (x / 180.0 * PI) / 1e-9,
    ),
    ("NatoMil", |x| x * 9.0 / 160.0, |x| x * 160.0 / 9.0),
    ("Radian", |x| x * 180.0 / PI, |x| x / 180.0 * PI),
    ("Revolution", |x| x * 360.0, |x| x / 360.0),
    (
        "Tilt",
        |x| x.asin() * 180.0 / PI,
        |x| (x / 180.0 * PI).sin(),
    ),
];

/// `convert_energy`: base unit Joule.
#[allow(clippy::excessive_precision)]
const ENERGY: &[Unit] = &[
    (
        "BritishThermalUnit",
        |x| x * 1055.05585262,
        |x| x / 1055.05585262,
    ),
    ("Calorie", |x| x * 4.184, |x| x / 4.184),
    (
        "DecathermEc",
        |x| (x * 1.05505585262e8) * 1e1,
        |x| (x / 1.05505585262e8) / 1e1,
    ),
    (
        "DecathermImperial",
        |x| (x * 1.05505585257348e8) * 1e1,
        |x| (x / 1.05505585257348e8) / 1e1,
    ),
    (
        "DecathermUs",
        |x| (x * 1.054804e8) * 1e1,
        |x| (x / 1.054804e8) / 1e1,
    ),
    (
        "ElectronVolt",
        |x| x * 1.602176565e-19,
        |x| x / 1.602176565e-19,
    ),
    ("Erg", |x| x * 1e-7, |x| x / 1e-7),
    ("FootPound", |x| x * 1.355817948, |x| x / 1.355817948),
    (
        "GigabritishThermalUnit",
        |x| (x * 1055.05585262) * 1e9,
        |x| (x / 1055.05585262) / 1e9,
    ),
    (
        "GigaelectronVolt",
        |x| (x * 1.602176565e-19) * 1e9,
        |x| (x / 1.602176565e-19) / 1e9,
    ),
    ("Gigajoule", |x| x * 1e9, |x| x / 1e9),
    (
        "GigawattDay",
        |x| (x * 24.0 * 3600.0) * 1e9,
        |x| (x / (24.0 * 3600.0)) / 1e9,
    ),
    (
        "GigawattHour",
        |x| (x * 3600.0) * 1e9,
        |x| (x / 3600.0) / 1e9,
    ),
    (
        "HorsepowerHour",
        |x| x * 2.6845195377e6,
        |x| x / 2.6845195377e6,
    ),
    ("Joule", |x| x, |x| x),
    (
        "KilobritishThermalUnit",
        |x| (x * 1055.05585262) * 1e3,
        |x| (x / 1055.05585262) / 1e3,
    ),
    ("Kilocalorie", |x| (x * 4.184) * 1e3, |x| (x / 4.184) / 1e3),
    (
        "KiloelectronVolt",
        |x| (x * 1.602176565e-19) * 1e3,
        |x| (x / 1.602176565e-19) / 1e3,
    ),
    ("Kilojoule", |x| x * 1e3, |x| x / 1e3),
    (
        "KilowattDay",
        |x| (x * 24.0 * 3600.0) * 1e3,
        |x| (x / (24.0 * 3600.0)) / 1e3,
    ),
    (
        "KilowattHour",
        |x| (x * 3600.0) * 1e3,
        |x| (x / 3600.0) / 1e3,
    ),
    (
        "MegabritishThermalUnit",
        |x| (x * 1055.05585262) * 1e6,
        |x| (x / 1055.05585262) / 1e6,
    ),
    ("Megacalorie", |x| (x * 4.184) * 1e6, |x| (x / 4.184) / 1e6),
    (
        "MegaelectronVolt",
        |x| (x * 1.602176565e-19) * 1e6,
        |x| (x / 1.602176565e-19) / 1e6,
    ),
    ("Megajoule", |x| x * 1e6, |x| x / 1e6),
    (
        "MegawattDay",
        |x| (x * 24.0 * 3600.0) * 1e6,
        |x| (x / (24.0 * 3600.0)) / 1e6,
    ),
    (
        "MegawattHour",
        |x| (x * 3600.0) * 1e6,
        |x| (x / 3600.0) / 1e6,
    ),
    ("Millijoule", |x| x * 1e-3, |x| x / 1e-3),
    (
        "TeraelectronVolt",
        |x| (x * 1.602176565e-19) * 1e12,
        |x| (x / 1.602176565e-19) / 1e12,
    ),
    (
        "TerawattDay",
        |x| (x * 24.0 * 3600.0) * 1e12,
        |x| (x / (24.0 * 3600.0)) / 1e12,
    ),
    (
        "TerawattHour",
        |x| (x * 3600.0) * 1e12,
        |x| (x / 3600.0) / 1e12,
    ),
    ("ThermEc", |x| x * 1.05505585262e8, |x| x / 1.05505585262e8),
    (
        "ThermImperial",
        |x| x * 1.05505585257348e8,
        |x| x / 1.05505585257348e8,
    ),
    ("ThermUs", |x| x * 1.054804e8, |x| x / 1.054804e8),
    ("WattDay", |x| x * 24.0 * 3600.0, |x| x / (24.0 * 3600.0)),
    ("WattHour", |x| x * 3600.0, |x| x / 3600.0),
];

/// `convert_force`: base unit Newton.
#[allow(clippy::excessive_precision)]
const FORCE: &[Unit] = &[
    ("Decanewton", |x| x * 1e1, |x| x / 1e1),
    ("Dyn", |x| x / 1e5, |x| x * 1e5),
    (
        "KilogramForce",
        |x| x * 9.80665002864,
        |x| x / 9.80665002864,
    ),
    ("Kilonewton", |x| x * 1e3, |x| x / 1e3),
    ("KiloPond", |x| x * 9.80665002864, |x| x / 9.80665002864),
    (
        "KilopoundForce",
        |x| (x * 4.4482216152605095551842641431421) * 1e3,
        |x| (x / 4.4482216152605095551842641431421) / 1e3,
    ),
    ("Meganewton", |x| x * 1e6, |x| x / 1e6),
    ("Micronewton", |x| x * 1e-6, |x| x / 1e-6),
    ("Millinewton", |x| x * 1e-3, |x| x / 1e-3),
    ("Newton", |x| x, |x| x),
    (
        "OunceForce",
        |x| x * 2.780138509537812e-1,
        |x| x / 2.780138509537812e-1,
    ),
    (
        "Poundal",
        |x| x * 0.13825502798973041652092282466083,
        |x| x / 0.13825502798973041652092282466083,
    ),
    (
        "PoundForce",
        |x| x * 4.4482216152605095551842641431421,
        |x| x / 4.4482216152605095551842641431421,
    ),
    (
        "ShortTonForce",
        |x| x * 8.896443230521e3,
        |x| x / 8.896443230521e3,
    ),
    (
        "TonneForce",
        |x| x * 9.80665002864e3,
        |x| x / 9.80665002864e3,
    ),
];

/// `convert_length`: base unit Meter.
#[allow(clippy::excessive_precision)]
const LENGTH: &[Unit] = &[
    ("Angstrom", |x| x * 1e-10, |x| x / 1e-10),
    (
        "AstronomicalUnit",
        |x| x * 1.4959787070e11,
        |x| x / 1.4959787070e11,
    ),
    ("Centimeter", |x| x * 1e-2, |x| x / 1e-2),
    ("Chain", |x| x * 20.1168, |x| x / 20.1168),
    ("DataMile", |x| x * 1828.8, |x| x / 1828.8),
    ("Decameter", |x| x * 1e1, |x| x / 1e1),
    ("Decimeter", |x| x * 1e-1, |x| x / 1e-1),
    ("DtpPica", |x| x / 236.220472441, |x| x * 236.220472441),
    (
        "DtpPoint",
        |x| (x / 72.0) * 2.54e-2,
        |x| (x / 2.54e-2) * 72.0,
    ),
    ("Fathom", |x| x * 1.8288, |x| x / 1.8288),
    ("Foot", |x| x * 0.3048, |x| x / 0.3048),
    ("Hand", |x| x * 1.016e-1, |x| x / 1.016e-1),
    ("Hectometer", |x| x * 1e2, |x| x / 1e2),
    ("Inch", |x| x * 2.54e-2, |x| x / 2.54e-2),
    (
        "KilolightYear",
        |x| (x * 9.46073047258e15) * 1e3,
        |x| (x / 9.46073047258e15) / 1e3,
    ),
    ("Kilometer", |x| x * 1e3, |x| x / 1e3),
    (
        "Kiloparsec",
        |x| (x * 3.08567758128e16) * 1e3,
        |x| (x / 3.08567758128e16) / 1e3,
    ),
    (
        "LightYear",
        |x| x * 9.46073047258e15,
        |x| x / 9.46073047258e15,
    ),
    (
        "MegalightYear",
        |x| (x * 9.46073047258e15) * 1e6,
        |x| (x / 9.46073047258e15) / 1e6,
    ),
    (
        "Megaparsec",
        |x| (x * 3.08567758128e16) * 1e6,
        |x| (x / 3.08567758128e16) / 1e6,
    ),
    ("Meter", |x| x, |x| x),
    ("Microinch", |x| x * 2.54e-8, |x| x / 2.54e-8),
    ("Micrometer", |x| x * 1e-6, |x| x / 1e-6),
    ("Mil", |x| x * 2.54e-5, |x| x / 2.54e-5),
    ("Mile", |x| x * 1609.34, |x| x / 1609.34),
    ("Millimeter", |x| x * 1e-3, |x| x / 1e-3),
    ("Nanometer", |x| x * 1e-9, |x| x / 1e-9),
    ("NauticalMile", |x| x * 1852.0, |x| x / 1852.0),
    ("Parsec", |x| x * 3.08567758128e16, |x| x / 3.08567758128e16),
    ("PrinterPica", |x| x / 237.106301584, |x| x * 237.106301584),
    (
        "PrinterPoint",
        |x| (x / 72.27) * 2.54e-2,
        |x| (x / 2.54e-2) * 72.27,
    ),
    ("Shackle", |x| x * 27.432, |x| x / 27.432),
    ("SolarRadius", |x| x * 6.95510000e08, |x| x / 6.95510000e08),
    ("Twip", |x| x / 56692.913385826, |x| x * 56692.913385826),
    (
        "UsSurveyFoot",
        |x| x * 1200.0 / 3937.0,
        |x| x * 3937.0 / 1200.0,
    ),
    ("Yard", |x| x * 0.9144, |x| x / 0.9144),
];

/// `convert_mass`: base unit Kilogram.
#[allow(clippy::excessive_precision)]
const MASS: &[Unit] = &[
    ("Centigram", |x| (x / 1e3) * 1e-2, |x| (x * 1e3) / 1e-2),
    ("Decagram", |x| (x / 1e3) * 1e1, |x| (x * 1e3) / 1e1),
    ("Decigram", |x| (x / 1e3) * 1e-1, |x| (x * 1e3) / 1e-1),
    ("EarthMass", |x| x * 5.9722e24, |x| x / 5.9722e24),
    (
        "Grain",
        |x| x / 15432.358352941431,
        |x| x * 15432.358352941431,
    ),
    ("Gram", |x| x / 1e3, |x| x * 1e3),
    ("Hectogram", |x| (x / 1e3) * 1e2, |x| (x * 1e3) / 1e2),
    ("Kilogram", |x| x, |x| x),
    (
        "Kilopound",
        |x| (x * 0.45359237) * 1e3,
        |x| (x / 0.45359237) / 1e3,
    ),
    ("Kilotonne", |x| (x * 1e3) * 1e3, |x| (x / 1e3) / 1e3),
    (
        "LongHundredweight",
        |x| x / 0.01968413055222121,
        |x| x * 0.01968413055222121,
    ),
    ("LongTon", |x| x * 1.0160469088e3, |x| x / 1.0160469088e3),
    (
        "Megapound",
        |x| (x * 0.45359237) * 1e6,
        |x| (x / 0.45359237) / 1e6,
    ),
    ("Megatonne", |x| (x * 1e3) * 1e6, |x| (x / 1e3) / 1e6),
    ("Microgram", |x| (x / 1e3) * 1e-6, |x| (x * 1e3) / 1e-6),
    ("Milligram", |x| (x / 1e3) * 1e-3, |x| (x * 1e3) / 1e-3),
    ("Nanogram", |x| (x / 1e3) * 1e-9, |x| (x * 1e3) / 1e-9),
    ("Ounce", |x| x / 35.2739619, |x| x * 35.2739619),
    ("Pound", |x| x * 0.45359237, |x| x / 0.45359237),
    (
        "ShortHundredweight",
        |x| x / 0.022046226218487758,
        |x| x * 0.022046226218487758,
    ),
    ("ShortTon", |x| x * 9.0718474e2, |x| x / 9.0718474e2),
    (
        "Slug",
        |x| x / 6.852176556196105e-2,
        |x| x * 6.852176556196105e-2,
    ),
    ("SolarMass", |x| x * 1.98947e30, |x| x / 1.98947e30),
    (
        "Stone",
        |x| x / 0.1574731728702698,
        |x| x * 0.1574731728702698,
    ),
    ("Tonne", |x| x * 1e3, |x| x / 1e3),
];

/// `convert_speed`: base unit MeterPerSecond.
#[allow(clippy::excessive_precision)]
const SPEED: &[Unit] = &[
    (
        "CentimeterPerHour",
        |x| (x / 3600.0) * 1e-2,
        |x| (x * 3600.0) / 1e-2,
    ),
    (
        "CentimeterPerMinute",
        |x| (x / 60.0) * 1e-2,
        |x| (x * 60.0) / 1e-2,
    ),
    ("CentimeterPerSecond", |x| x * 1e-2, |x| x / 1e-2),
    (
        "DecimeterPerMinute",
        |x| (x / 60.0) * 1e-1,
        |x| (x * 60.0) / 1e-1,
    ),
    ("DecimeterPerSecond", |x| x * 1e-1, |x| x / 1e-1),
    (
        "FootPerHour",
        |x| x * 0.3048 / 3600.0,
        |x| x / 0.3048 * 3600.0,
    ),
    (
        "FootPerMinute",
        |x| x * 0.3048 / 60.0,
        |x| x / 0.3048 * 60.0,
    ),
    ("FootPerSecond", |x| x * 0.3048, |x| x / 0.3048),
    (
        "InchPerHour",
        |x| (x / 3600.0) * 2.54e-2,
        |x| (x / 2.54e-2) * 3600.0,
    ),
    (
        "InchPerMinute",
        |x| (x / 60.0) * 2.54e-2,
        |x| (x / 2.54e-2) * 60.0,
    ),
    ("InchPerSecond", |x| x * 2.54e-2, |x| x / 2.54e-2),
    (
        "KilometerPerHour",
        |x| (x / 3600.0) * 1e3,
        |x| (x * 3600.0) / 1e3,
    ),
    (
        "KilometerPerMinute",
        |x| (x / 60.0) * 1e3,
        |x| (x * 60.0) / 1e3,
    ),
    ("KilometerPerSecond", |x| x * 1e3, |x| x / 1e3),
    ("Knot", |x| x * 0.514444, |x| x / 0.514444),
    ("MeterPerHour", |x| x / 3600.0, |x| x * 3600.0),
    ("MeterPerMinute", |x| x / 60.0, |x| x * 60.0),
    ("MeterPerSecond", |x| x, |x| x),
    (
        "MicrometerPerMinute",
        |x| (x / 60.0) * 1e-6,
        |x| (x * 60.0) / 1e-6,
    ),
    ("MicrometerPerSecond", |x| x * 1e-6, |x| x / 1e-6),
    ("MilePerHour", |x| x * 0.44704, |x| x / 0.44704),
    (
        "MillimeterPerHour",
        |x| (x / 3600.0) * 1e-3,
        |x| (x * 3600.0) / 1e-3,
    ),
    (
        "MillimeterPerMinute",
        |x| (x / 60.0) * 1e-3,
        |x| (x * 60.0) / 1e-3,
    ),
    ("MillimeterPerSecond", |x| x * 1e-3, |x| x / 1e-3),
    (
        "NanometerPerMinute",
        |x| (x / 60.0) * 1e-9,
        |x| (x * 60.0) / 1e-9,
    ),
    ("NanometerPerSecond", |x| x * 1e-9, |x| x / 1e-9),
    (
        "UsSurveyFootPerHour",
        |x| (x * 1200.0 / 3937.0) / 3600.0,
        |x| (x * 3937.0 / 1200.0) * 3600.0,
    ),
    (
        "UsSurveyFootPerMinute",
        |x| (x * 1200.0 / 3937.0) / 60.0,
        |x| (x * 3937.0 / 1200.0) * 60.0,
    ),
    (
        "UsSurveyFootPerSecond",
        |x| x * 1200.0 / 3937.0,
        |x| x * 3937.0 / 1200.0,
    ),
    (
        "YardPerHour",
        |x| x * 0.9144 / 3600.0,
        |x| x / 0.9144 * 3600.0,
    ),
    (
        "YardPerMinute",
        |x| x * 0.9144 / 60.0,
        |x| x / 0.9144 * 60.0,
    ),
    ("YardPerSecond", |x| x * 0.9144, |x| x / 0.9144),
];

/// `convert_temperature`: base unit Kelvin.
#[allow(clippy::excessive_precision)]
const TEMPERATURE: &[Unit] = &[
    ("DegreeCelsius", |x| x + 273.15, |x| x - 273.15),
    (
        "DegreeDelisle",
        |x| x * -2.0 / 3.0 + 373.15,
        |x| (x - 373.15) * -3.0 / 2.0,
    ),
    (
        "DegreeFahrenheit",
        |x| x * 5.0 / 9.0 + 459.67 * 5.0 / 9.0,
        |x| (x - 459.67 * 5.0 / 9.0) * 9.0 / 5.0,
    ),
    (
        "DegreeNewton",
        |x| x * 100.0 / 33.0 + 273.15,
        |x| (x - 273.15) * 33.0 / 100.0,
    ),
    ("DegreeRankine", |x| x * 5.0 / 9.0, |x| x * 9.0 / 5.0),
    (
        "DegreeReaumur",
        |x| x * 5.0 / 4.0 + 273.15,
        |x| (x - 273.15) * 4.0 / 5.0,
    ),
    (
        "DegreeRoemer",
        |x| x * 40.0 / 21.0 + 273.15 - 7.5 * 40.0 / 21.0,
        |x| (x - (273.15 - 7.5 * 40.0 / 21.0)) * 21.0 / 40.0,
    ),
    ("Kelvin", |x| x, |x| x),
    (
        "MillidegreeCelsius",
        |x| x / 1000.0 + 273.15,
        |x| (x - 273.15) * 1000.0,
    ),
    ("SolarTemperature", |x| x * 5778.0, |x| x / 5778.0),
];

/// `convert_volume`: base unit CubicMeter.
#[allow(clippy::excessive_precision)]
const VOLUME: &[Unit] = &[
    ("AcreFoot", |x| x / 0.000810714, |x| x * 0.000810714),
    ("AuTablespoon", |x| x * 2e-5, |x| x / 2e-5),
    (
        "BoardFoot",
        |x| x * 2.3597372158e-3,
        |x| x / 2.3597372158e-3,
    ),
    ("Centiliter", |x| (x / 1e3) * 1e-2, |x| (x * 1e3) / 1e-2),
    ("CubicCentimeter", |x| x / 1e6, |x| x * 1e6),
    ("CubicDecimeter", |x| x / 1e3, |x| x * 1e3),
    (
        "CubicFoot",
        |x| x * 2.8316846592e-2,
        |x| x / 2.8316846592e-2,
    ),
    ("CubicHectometer", |x| x * 1e6, |x| x / 1e6),
    ("CubicInch", |x| x * 1.6387 * 1e-5, |x| x / (1.6387 * 1e-5)),
    ("CubicKilometer", |x| x * 1e9, |x| x / 1e9),
    ("CubicMeter", |x| x, |x| x),
    ("CubicMicrometer", |x| x / 1e18, |x| x * 1e18),
    (
        "CubicMile",
        |x| x * 4.16818182544058e9,
        |x| x / 4.16818182544058e9,
    ),
    ("CubicMillimeter", |x| x / 1e9, |x| x * 1e9),
    ("CubicYard", |x| x * 0.764554858, |x| x / 0.764554858),
    ("Decaliter", |x| (x / 1e3) * 1e1, |x| (x * 1e3) / 1e1),
    (
        "DecausGallon",
        |x| (x * 0.00378541) * 1e1,
        |x| (x / 0.00378541) / 1e1,
    ),
    ("Deciliter", |x| (x / 1e3) * 1e-1, |x| (x * 1e3) / 1e-1),
    (
        "DeciusGallon",
        |x| (x * 0.00378541) * 1e-1,
        |x| (x / 0.00378541) / 1e-1,
    ),
    (
        "HectocubicFoot",
        |x| (x * 2.8316846592e-2) * 1e2,
        |x| (x / 2.8316846592e-2) / 1e2,
    ),
    ("HectocubicMeter", |x| x * 1e2, |x| x / 1e2),
    ("Hectoliter", |x| (x / 1e3) * 1e2, |x| (x * 1e3) / 1e2),
    (
        "HectousGallon",
        |x| (x * 0.00378541) * 1e2,
        |x| (x / 0.00378541) / 1e2,
    ),
    ("ImperialBeerBarrel", |x| x * 0.16365924, |x| x / 0.16365924),
    (
        "ImperialGallon",
        |x| x * 0.00454609000000181429905810072407,
        |x| x / 0.00454609000000181429905810072407,
    ),
    (
        "ImperialOunce",
        |x| x * 2.8413062499962901241875439064617e-5,
        |x| x / 2.8413062499962901241875439064617e-5,
    ),
    ("ImperialPint", |x| x * 5.6826125e-4, |x| x / 5.6826125e-4),
    (
        "KilocubicFoot",
        |x| (x * 2.8316846592e-2) * 1e3,
        |x| (x / 2.8316846592e-2) / 1e3,
    ),
    ("KilocubicMeter", |x| x * 1e3, |x| x / 1e3),
    (
        "KiloimperialGallon",
        |x| (x * 0.00454609000000181429905810072407) * 1e3,
        |x| (x / 0.00454609000000181429905810072407) / 1e3,
    ),
    ("Kiloliter", |x| (x / 1e3) * 1e3, |x| (x * 1e3) / 1e3),
    (
        "KilousGallon",
        |x| (x * 0.00378541) * 1e3,
        |x| (x / 0.00378541) / 1e3,
    ),
    ("Liter", |x| x / 1e3, |x| x * 1e3),
    (
        "MegacubicFoot",
        |x| (x * 2.8316846592e-2) * 1e6,
        |x| (x / 2.8316846592e-2) / 1e6,
    ),
    (
        "MegaimperialGallon",
        |x| (x * 0.00454609000000181429905810072407) * 1e6,
        |x| (x / 0.00454609000000181429905810072407) / 1e6,
    ),
    ("Megaliter", |x| (x / 1e3) * 1e6, |x| (x * 1e3) / 1e6),
    (
        "MegausGallon",
        |x| (x * 0.00378541) * 1e6,
        |x| (x / 0.00378541) / 1e6,
    ),
    ("MetricCup", |x| x * 0.00025, |x| x / 0.00025),
    ("MetricTeaspoon", |x| x * 0.5e-5, |x| x / 0.5e-5),
    ("Microliter", |x| (x / 1e3) * 1e-6, |x| (x * 1e3) / 1e-6),
    ("Milliliter", |x| (x / 1e3) * 1e-3, |x| (x * 1e3) / 1e-3),
    ("OilBarrel", |x| x * 0.158987294928, |x| x / 0.158987294928),
    ("UkTablespoon", |x| x * 1.5e-5, |x| x / 1.5e-5),
    ("UsBeerBarrel", |x| x * 0.1173477658, |x| x / 0.1173477658),
    (
        "UsCustomaryCup",
        |x| x * 0.0002365882365,
        |x| x / 0.0002365882365,
    ),
    ("UsGallon", |x| x * 0.00378541, |x| x / 0.00378541),
    ("UsLegalCup", |x| x * 0.00024, |x| x / 0.00024),
    (
        "UsOunce",
        |x| x * 2.957352956253760505068307980135e-5,
        |x| x / 2.957352956253760505068307980135e-5,
    ),
    ("UsPint", |x| x * 4.73176473e-4, |x| x / 4.73176473e-4),
    ("UsQuart", |x| x * 9.46352946e-4, |x| x / 9.46352946e-4),
    (
        "UsTablespoon",
        |x| x * 1.478676478125e-5,
        |x| x / 1.478676478125e-5,
    ),
    (
        "UsTeaspoon",
        |x| x * 4.92892159375e-6,
        |x| x / 4.92892159375e-6,
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn run(table: &'static [Unit], value: f64, from: &str, to: &str) -> Option<f64> {
        let units: HashMap<&'static str, &Unit> = table.iter().map(|u| (u.0, u)).collect();
        convert(&units, value, from, to)
    }

    #[test]
    fn documented_examples() {
        // The eight functions' documentation pages.
        assert_eq!(run(ANGLE, 1.2, "Degree", "Arcminute"), Some(72.0));
        let btu = run(ENERGY, 1.2, "Joule", "BritishThermalUnit").unwrap();
        assert!((btu - 0.00113738054437598).abs() < 1e-17);
        assert_eq!(run(FORCE, 1.2, "Newton", "Decanewton"), Some(0.12));
        let foot = run(LENGTH, 1.2, "Meter", "Foot").unwrap();
        assert!((foot - 3.93700787401575).abs() < 1e-13);
        let pound = run(MASS, 1.2, "Kilogram", "Pound").unwrap();
        assert!((pound - 2.64554714621853).abs() < 1e-13);
        assert_eq!(
            run(SPEED, 1.2, "MeterPerSecond", "CentimeterPerHour"),
            Some(432000.0)
        );
        let celsius = run(TEMPERATURE, 1.2, "Kelvin", "DegreeCelsius").unwrap();
        assert!((celsius - -271.95).abs() < 1e-12);
        let acre_foot = run(VOLUME, 1.2, "CubicMeter", "AcreFoot").unwrap();
        assert!((acre_foot - 0.0009728568).abs() < 1e-16);
    }

    #[test]
    fn unknown_units_are_null_and_names_are_exact() {
        assert_eq!(run(LENGTH, 1.0, "Meter", "Furlong"), None);
        assert_eq!(run(LENGTH, 1.0, "meter", "Foot"), None);
        assert_eq!(run(LENGTH, 1.0, "Meter", "Meter"), Some(1.0));
        // UnitsNet 4.x's rounded mile.
        assert_eq!(run(LENGTH, 1.0, "Mile", "Meter"), Some(1609.34));
        assert_eq!(
            run(TEMPERATURE, 212.0, "DegreeFahrenheit", "DegreeCelsius")
                .map(|c| (c * 1e9).round() / 1e9),
            Some(100.0)
        );
        assert!(run(ANGLE, 2.0, "Tilt", "Degree").unwrap().is_nan());
    }

    #[test]
    fn every_unit_goes_there_and_back() {
        for table in [
            ANGLE,
            ENERGY,
            FORCE,
            LENGTH,
            MASS,
            SPEED,
            TEMPERATURE,
            VOLUME,
        ] {
            let base = table
                .iter()
                .find(|u| (u.1)(1.0) == 1.0 && (u.2)(1.0) == 1.0);
            assert!(base.is_some(), "each table has its base unit");
            for (name, to, from) in table {
                let back = from(to(0.5));
                assert!((back - 0.5).abs() < 1e-9, "{name}: {back}");
            }
        }
    }
}
