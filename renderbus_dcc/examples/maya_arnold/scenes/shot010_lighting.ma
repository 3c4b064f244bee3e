//Maya ASCII 2024 scene
//Name: shot010_lighting.ma
requires maya "2024";
requires -nodeType "aiOptions" "mtoa" "5.3.5.2";
currentUnit -l centimeter -a degree -t film;
createNode transform -n "shotCam";
createNode camera -n "shotCamShape" -p "shotCam";
createNode file -n "wall_diffuse";
	setAttr ".ftn" -type "string" "sourceimages/wall_diffuse.<UDIM>.png";
	setAttr ".uvt" 3;
createNode file -n "floor_wood";
	setAttr ".ftn" -type "string" "sourceimages/木纹 地板.jpg";
createNode file -n "flicker";
	setAttr ".ftn" -type "string" "sourceimages/flicker/flicker.####.png";
	setAttr ".ufe" yes;
createNode AlembicNode -n "hero_anim_abc";
	setAttr ".fn" -type "string" "cache/alembic/hero anim.abc";
createNode renderLayer -n "rs_beauty";
createNode renderLayer -n "rs_shadow";
// end of file
