"""The form field for a GeoJSON area (admin forms of testbeds, municipalities, areas)."""

from django import forms


class GeoJSONAreaField(forms.JSONField):
    """A JSON field for a GeoJSON area, friendly to people pasting from map tools.

    An empty value shows an empty box (not "null"). A pasted Feature is reduced to its
    geometry, and a FeatureCollection of polygons to one Polygon or MultiPolygon. Invalid
    JSON is the JSON field's own form error; the model field's validator then checks the
    geometry (type, WGS84 ranges, closed rings).
    """

    def to_python(self, value):
        value = super().to_python(value)
        if value in ("", {}, []):
            return None
        return self.geometry_of(value)

    @staticmethod
    def geometry_of(value):
        if not isinstance(value, dict):
            return value
        if value.get("type") == "Feature":
            return value.get("geometry")
        if value.get("type") == "FeatureCollection" and isinstance(value.get("features"), list):
            geometries = [
                feature.get("geometry") if isinstance(feature, dict) else feature
                for feature in value["features"]
            ]
            if len(geometries) == 1:
                return geometries[0]
            polygons = []
            for geometry in geometries:
                kind = geometry.get("type") if isinstance(geometry, dict) else None
                if kind == "Polygon":
                    polygons.append(geometry.get("coordinates"))
                elif kind == "MultiPolygon" and isinstance(geometry.get("coordinates"), list):
                    polygons.extend(geometry["coordinates"])
                else:
                    return value  # left for the validator to reject with its own message
            return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None
        return value

    def prepare_value(self, value):
        if value is None:
            return ""
        return super().prepare_value(value)
