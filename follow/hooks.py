"""The follow app's plug-ins (sodertorn/hooks.py): its section on the testbed page and on the
municipality page. The indicator and dialogue-round pages include ``follow/_follow.html``."""

from sodertorn import hooks


@hooks.register("testbed_sections")
def testbed_sections():
    return [{"template": "follow/_section.html", "order": 95}]


@hooks.register("municipality_sections")
def municipality_sections():
    return [{"template": "follow/_section.html", "order": 90}]
