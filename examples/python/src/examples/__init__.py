"""Examples of registry-config: registry credentials for helm and skopeo
without `helm registry login` or `skopeo login` writing them to a layer."""

from .main import Examples as Examples
