<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis minScale="1e+08" version="3.22.16-Białowieża" styleCategories="Fields|Rendering" hasScaleBasedVisibilityFlag="0" maxScale="0">
  <fieldConfiguration>
    <field name="reseau" configurationFlags="None"/>
    <field name="route_short_name" configurationFlags="None"/>
    <field name="route_long_name" configurationFlags="None"/>
  </fieldConfiguration>
  <aliases>
    <alias name="Réseau" field="reseau" index="0"/>
    <alias name="Ligne" field="route_short_name" index="1"/>
    <alias name="Nom" field="route_long_name" index="2"/>
  </aliases>
  <defaults>
    <default expression="" field="reseau" applyOnUpdate="0"/>
    <default expression="" field="route_short_name" applyOnUpdate="0"/>
    <default expression="" field="route_long_name" applyOnUpdate="0"/>
  </defaults>
  <constraints>
    <constraint unique_strength="0" exp_strength="0" field="reseau" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="route_short_name" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="route_long_name" notnull_strength="0" constraints="0"/>
  </constraints>
  <constraintExpressions>
    <constraint desc="" field="reseau" exp=""/>
    <constraint desc="" field="route_short_name" exp=""/>
    <constraint desc="" field="route_long_name" exp=""/>
  </constraintExpressions>
  <expressionfields/>
  <layerGeometryType>4</layerGeometryType>
</qgis>
