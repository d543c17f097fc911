<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis minScale="1e+08" version="3.22.16-Białowieża" styleCategories="Fields|Rendering" hasScaleBasedVisibilityFlag="0" maxScale="0">
  <fieldConfiguration>
    <field name="insee_com" configurationFlags="None"/>
    <field name="lib_com" configurationFlags="None"/>
  </fieldConfiguration>
  <aliases>
    <alias name="Code INSEE" field="insee_com" index="0"/>
    <alias name="Commune" field="lib_com" index="1"/>
  </aliases>
  <defaults>
    <default expression="" field="insee_com" applyOnUpdate="0"/>
    <default expression="" field="lib_com" applyOnUpdate="0"/>
  </defaults>
  <constraints>
    <constraint unique_strength="0" exp_strength="0" field="insee_com" notnull_strength="0" constraints="0"/>
    <constraint unique_strength="0" exp_strength="0" field="lib_com" notnull_strength="0" constraints="0"/>
  </constraints>
  <constraintExpressions>
    <constraint desc="" field="insee_com" exp=""/>
    <constraint desc="" field="lib_com" exp=""/>
  </constraintExpressions>
  <expressionfields/>
  <layerGeometryType>4</layerGeometryType>
</qgis>
